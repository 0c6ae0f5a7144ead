import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { MAX_TIMER_MS } from './max-timer.js';

/** One RxJS timer kept armed for the earliest time it was asked for. */
export interface SingleTimer {
  /**
   * Arms the timer for scheduler time `at`, unless it is already armed for that time or sooner.
   * The wait is counted from `from` (default: now); a ring that arms again passes the time it
   * rang for, so that the wait it arms does not depend on a clock read in between.
   */
  arm(at: number, from?: number): void;
  /** Stops the timer, if armed. */
  dispose(): void;
}

/**
 * Creates the timer behind an alarm: `ring` runs when the earliest time armed comes, with the
 * timer already disarmed, so `ring` may arm it again for what remains. `ring` is told the time
 * the timer was armed to reach, in the clock's terms when it was armed: the timer, not a reading
 * of the wall clock (which may have been stepped back meanwhile), says that time has come. A time
 * further off than a timer can wait is reached in steps (the ring is told the step it reached,
 * finds nothing due and arms again); `Infinity` never arms at all. Uses RxJS's scheduler, so it
 * runs in virtual time in tests.
 */
export function createSingleTimer(ring: (reached: number) => void): SingleTimer {
  let timer: Subscription | undefined;
  let timerAt = Infinity;
  let reaches = Infinity;
  const dispose = (): void => {
    timer?.unsubscribe();
    timer = undefined;
    timerAt = Infinity;
  };
  const fire = (): void => {
    timer = undefined;
    timerAt = Infinity;
    ring(reaches);
  };
  return {
    arm(at, from = asyncScheduler.now()) {
      if (at >= timerAt) return;
      dispose();
      timerAt = at;
      const wait = Math.min(MAX_TIMER_MS, Math.max(0, at - from));
      reaches = from + wait;
      timer = asyncScheduler.schedule(fire, wait);
    },
    dispose,
  };
}
