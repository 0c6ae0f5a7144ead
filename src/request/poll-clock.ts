import type { Observable } from 'rxjs';
import { asyncScheduler, defer, filter, interval, share } from 'rxjs';

/**
 * Creates a shared clock for polls. Every waiting task listens to one interval and fires on the
 * first tick at or after its due time, so the polls of all tasks due in the same tick are sent
 * in the same turn of the event loop and the outbox packs them into one frame. Separate timers
 * would each fire in their own turn and cost a frame apiece. The interval only runs while a
 * task is waiting.
 *
 * @param tickMs The tick period, in ms: the most a poll may be delayed to share a frame.
 * @returns `wait(ms)`: completes on the first tick at least `ms` from now.
 */
export function createPollClock(tickMs: number): (ms: number) => Observable<unknown> {
  const tick$ = interval(tickMs).pipe(share());
  // Timers and the wall clock may disagree by a millisecond; a tick that close counts as due.
  const slack = tickMs / 2;
  return (ms) =>
    defer(() => {
      const due = asyncScheduler.now() + ms - slack;
      return tick$.pipe(filter(() => asyncScheduler.now() >= due));
    });
}
