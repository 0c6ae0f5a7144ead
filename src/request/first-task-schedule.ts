/**
 * How a task of a model the client knows nothing about is polled: the first poll after
 * `pollInterval`, then waits that grow with the time the task has been running. Pure arithmetic
 * over plain numbers, so that the schedule can be checked by hand.
 *
 * Why this shape: a task ready at time R and polled every `s` ms is seen on average `s/2` late,
 * after about R/s polls. A fixed short wait is quick and costly on long tasks; a fixed long one
 * is cheap and slow on short ones; the old ×1.5 back-off overshot by up to half the elapsed time.
 * Here the wait starts at 225 ms (a task ready at ~2 s is seen ~100 ms late, in fewer polls than
 * a 250 ms poller), grows by 30 % of the time elapsed since 100 ms after the first poll until it
 * reaches `cap`, 900 ms (a task ready at ~30 s is seen ~450 ms late, in under a third of that
 * poller's polls), and past ~36 s grows again as 2.5 % of the elapsed time, up to 30 s:
 * a ten-minute job is polled every 15 s by then, not every second, and is still seen within
 * ~1.3 % of its duration on average (~160 polls in ten minutes).
 */

/** The shape of the first-task schedule, in ms (ratios are plain fractions). */
export interface FirstTaskSchedule {
  /** The wait from the acknowledgement to the first poll (`pollInterval`). */
  readonly first: number;
  /** The shortest wait between two polls. */
  readonly floor: number;
  /** Where the wait starts to grow, in ms from the acknowledgement. */
  readonly rampFrom: number;
  /** How fast the wait grows: this fraction of the time elapsed past `rampFrom`. */
  readonly ramp: number;
  /** The longest wait while the task is young. */
  readonly cap: number;
  /** Past `cap`, the wait may be this fraction of the elapsed time. */
  readonly lateRatio: number;
  /** The longest wait of all. */
  readonly longest: number;
}

/** The shortest wait between polls of a task that runs on and on, in ms. */
const FLOOR_MS = 225;
/** Even with `pollInterval: 0`, polls of one task never follow each other closer than this. */
const MIN_FLOOR_MS = 50;

/**
 * The first-task schedule for a client's `pollInterval`: later waits start at 225 ms (or at
 * `pollInterval` when it is shorter, but never below 50 ms).
 *
 * @param pollInterval The wait before the first poll, in ms.
 * @returns The schedule.
 */
export function firstTaskSchedule(pollInterval: number): FirstTaskSchedule {
  return {
    first: pollInterval,
    floor: Math.min(FLOOR_MS, Math.max(pollInterval, MIN_FLOOR_MS)),
    rampFrom: pollInterval + 100,
    ramp: 0.3,
    cap: 900,
    lateRatio: 0.025,
    longest: 30_000,
  };
}

/**
 * The wait before the next poll of a task whose model the client knows nothing about.
 *
 * @param schedule The schedule's shape.
 * @param elapsed How long the task had been running (from its acknowledgement) when its last
 *   poll was due, in ms; 0 at the acknowledgement itself.
 * @param attempt The number of the poll to plan, from 1.
 * @returns The wait from that time, in ms.
 *
 * @example
 * ```ts
 * const schedule = firstTaskSchedule(1000);
 * firstTaskWait(schedule, 0, 1); // 1000: the first poll
 * firstTaskWait(schedule, 2000, 6); // 225
 * firstTaskWait(schedule, 20_000, 30); // 900
 * firstTaskWait(schedule, 600_000, 150); // 15 000
 * ```
 */
export function firstTaskWait(schedule: FirstTaskSchedule, elapsed: number, attempt: number): number {
  if (attempt <= 1) return schedule.first;
  const { floor, rampFrom, ramp, cap, lateRatio, longest } = schedule;
  const ceiling = Math.min(longest, Math.max(cap, lateRatio * elapsed));
  return Math.max(floor, Math.min(ramp * (elapsed - rampFrom), ceiling));
}
