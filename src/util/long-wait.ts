import type { SchedulerAction, Subscription } from 'rxjs';
import { Observable, asyncScheduler } from 'rxjs';
import { MAX_TIMER_MS } from './max-timer.js';

/**
 * Runs `fire` after `ms`, on RxJS's scheduler (so in virtual time in tests). A wait longer than a
 * timer can hold is kept in steps: one timer for it would fire after 1 ms.
 *
 * @param ms The wait, in ms.
 * @param fire What to run then.
 * @returns The subscription that cancels it.
 */
export function scheduleAfter(ms: number, fire: () => void): Subscription {
  const step = Math.min(ms, MAX_TIMER_MS);
  return asyncScheduler.schedule(
    function (this: SchedulerAction<number>, left = 0) {
      if (left > 0) this.schedule(left - Math.min(left, MAX_TIMER_MS), Math.min(left, MAX_TIMER_MS));
      else fire();
    },
    step,
    ms - step,
  );
}

/**
 * Emits 0 after `ms` and completes: `timer(ms)` for waits of any length.
 *
 * @param ms The wait, in ms.
 * @returns The wait.
 */
export function longTimer(ms: number): Observable<0> {
  return new Observable<0>((subscriber) =>
    scheduleAfter(ms, () => {
      subscriber.next(0);
      subscriber.complete();
    }),
  );
}
