import type { MonoTypeOperatorFunction } from 'rxjs';
import { Observable } from 'rxjs';
import { scheduleAfter } from '../util/long-wait.js';

/** Runs `fire` after `ms` unless the returned function cancels it first. */
export type DeadlineClock = (ms: number, fire: () => void) => () => void;

const schedulerClock: DeadlineClock = (ms, fire) => {
  const action = scheduleAfter(ms, fire);
  return () => action.unsubscribe();
};

/**
 * Bounds a whole stream: if it has not completed `ms` after subscription it errors with
 * `makeError()` (and is unsubscribed, which stops its timers and polls).
 *
 * @param ms The deadline, in ms; `Infinity` for none.
 * @param makeError Builds the error raised when the deadline passes.
 * @param clock Where deadlines are kept; by default an RxJS timer per subscription. runware-rx
 *   passes one shared sweeper per client so ten thousand requests do not cost ten thousand timers.
 * @returns An operator.
 */
export function taskTimeout<T>(ms: number, makeError: () => Error, clock: DeadlineClock = schedulerClock): MonoTypeOperatorFunction<T> {
  return (source) =>
    ms === Infinity
      ? source
      : new Observable<T>((subscriber) => {
          const cancel = clock(ms, () => subscriber.error(built(makeError)));
          const subscription = source.subscribe(subscriber);
          return () => {
            cancel();
            subscription.unsubscribe();
          };
        });
}

/** The error `makeError` builds, or the one it throws: either way the stream's to end with. */
function built(makeError: () => Error): unknown {
  try {
    return makeError();
  } catch (thrown) {
    return thrown;
  }
}
