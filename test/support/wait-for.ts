/**
 * Polls a condition on real time until it holds, for loopback tests that watch a server.
 * Bounded: it throws after `timeout` ms instead of hanging.
 *
 * @param condition Checked every `interval` ms.
 * @param options The bound and the checking interval.
 */
export async function waitFor(condition: () => boolean, options: { timeout?: number; interval?: number } = {}): Promise<void> {
  const { timeout = 5000, interval = 10 } = options;
  const deadline = performance.now() + timeout;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
    await pause(interval);
  }
}

/**
 * Waits `ms` of real time; used to observe that nothing more happens.
 *
 * @param ms The wait.
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
