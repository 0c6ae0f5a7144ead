import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { MAX_TIMER_MS } from './max-timer.js';

/** One RxJS timer kept armed for the earliest time it was asked for. */
export interface SingleTimer {
  /** Arms the timer for scheduler time `at`, unless it is already armed for that time or sooner. */
  arm(at: number): void;
  /** Stops the timer, if armed. */
  dispose(): void;
}

/**
 * Creates the timer behind an alarm: `ring` runs when the earliest time armed comes, with the
 * timer already disarmed, so `ring` may arm it again for what remains. A time further off than
 * a timer can wait is reached in steps (the ring finds nothing due and arms again); `Infinity`
 * never arms at all. Uses RxJS's scheduler, so it runs in virtual time in tests.
 */
export function createSingleTimer(ring: () => void): SingleTimer {
  let timer: Subscription | undefined;
  let timerAt = Infinity;
  const dispose = (): void => {
    timer?.unsubscribe();
    timer = undefined;
    timerAt = Infinity;
  };
  const fire = (): void => {
    timer = undefined;
    timerAt = Infinity;
    ring();
  };
  return {
    arm(at) {
      if (at >= timerAt) return;
      dispose();
      timerAt = at;
      timer = asyncScheduler.schedule(fire, Math.min(MAX_TIMER_MS, Math.max(0, at - asyncScheduler.now())));
    },
    dispose,
  };
}
