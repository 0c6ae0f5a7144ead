/**
 * Percent done of a running task, estimated from how long tasks of its kind took before: the
 * time it has been running over the typical time to ready, in whole percent, from 0 to 99. It
 * never says 100: only the server's answer says a task is done.
 *
 * @param elapsed How long the task has been running, in ms from its acknowledgement.
 * @param typical How long such tasks typically take, in ms.
 * @returns The estimate.
 *
 * @example
 * ```ts
 * estimatedProgress(1500, 2000); // 75
 * estimatedProgress(2500, 2000); // 99: late, but not done until the server says so
 * ```
 */
export function estimatedProgress(elapsed: number, typical: number): number {
  if (!(typical > 0)) return 0;
  return Math.min(99, Math.max(0, Math.floor((100 * elapsed) / typical)));
}
