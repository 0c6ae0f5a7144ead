/** A handle returned by {@link Timers.after}. */
export type TimerHandle = ReturnType<typeof setTimeout>;

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
      }, ms);
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
