/** A handle returned by {@link Timers.after}. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/** The longest delay a Node timer holds; past it Node fires after 1 ms (with a TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay a timer can hold: longer ones wait the longest possible (about 24.8 days), so that a
 * thirty-day `idleTimeoutMs` or `sessionBufferMs`, meant as "never", is not run at once.
 */
export const timerDelay = (ms: number): number => Math.min(ms, MAX_TIMER_MS);

/** Timers the simulator owns, so `close()` can cancel every pending one and leave no handle behind. */
export interface Timers {
  after(ms: number, run: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
  cancelAll(): void;
}

/** Creates a tracked timer set. */
export const createTimers = (): Timers => {
  const active = new Set<TimerHandle>();
  return {
    after(ms, run) {
      const handle = setTimeout(() => {
        active.delete(handle);
        run();
      }, timerDelay(ms));
      active.add(handle);
      return handle;
    },
    cancel(handle) {
      clearTimeout(handle);
      active.delete(handle);
    },
    cancelAll() {
      for (const handle of active) clearTimeout(handle);
      active.clear();
    },
  };
};
