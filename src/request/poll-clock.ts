import type { Observable, Subscriber, Subscription } from 'rxjs';
import { Observable as Stream, asyncScheduler } from 'rxjs';

interface Waiter {
  readonly due: number;
  readonly subscriber: Subscriber<unknown>;
}

/** When a poll clock ticks, and how far it reaches ahead when it fires. */
export interface PollClockOptions {
  /** The tick period, in ms. */
  readonly tick: number;
  /**
   * When any wait falls due, every wait due within this many ms fires with it: polls of tasks
   * that were acknowledged a few milliseconds apart (their submissions left in separate frames)
   * still go out in one frame, and so do all their later rounds.
   */
  readonly gather: number;
}

/**
 * Creates a shared clock for polls. Waiting tasks register a due time; one timer ticks while
 * any waits, and a tick that finds a wait due fires it together with every wait due soon after,
 * so the polls of a round are sent in one turn and the outbox packs them into one frame.
 * Separate timers would each fire in their own turn and cost a frame apiece. Uses RxJS's
 * scheduler, so it runs in virtual time in tests.
 *
 * @param options The tick period and the gathering reach.
 * @returns `wait(ms)`: emits and completes at least `ms` from now, give or take the gathering.
 */
export function createPollClock(options: PollClockOptions): (ms: number) => Observable<unknown> {
  const { tick, gather } = options;
  const waiters = new Set<Waiter>();
  let ticking: Subscription | undefined;
  const onTick = (): void => {
    const now = asyncScheduler.now();
    // Timers and the wall clock may disagree by a millisecond; half a tick early counts as due.
    let due = false;
    for (const waiter of waiters) if (waiter.due <= now + tick / 2) due = true;
    if (!due) return;
    for (const waiter of [...waiters]) {
      if (waiter.due > now + gather) continue;
      waiters.delete(waiter);
      waiter.subscriber.next(undefined);
      waiter.subscriber.complete();
    }
    if (waiters.size === 0) stop();
  };
  const stop = (): void => {
    ticking?.unsubscribe();
    ticking = undefined;
  };
  return (ms) =>
    new Stream<unknown>((subscriber) => {
      const waiter: Waiter = { due: asyncScheduler.now() + ms, subscriber };
      waiters.add(waiter);
      ticking ??= asyncScheduler.schedule(function repeat() {
        onTick();
        // Only the live loop goes on: a tick that emptied the clock stopped it.
        if (ticking === this) this.schedule(undefined, tick);
      }, tick);
      return () => {
        waiters.delete(waiter);
        if (waiters.size === 0) stop();
      };
    });
}
