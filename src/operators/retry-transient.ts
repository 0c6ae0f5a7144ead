import type { MonoTypeOperatorFunction, OperatorFunction } from 'rxjs';
import { Subject, defer, finalize, merge, retry, throwError, timer } from 'rxjs';
import { isRunwareError } from '../errors/guards.js';
import type { RunwareError } from '../errors/runware-error.js';

/** Which failures are retried, how often and how long apart. */
export interface RetryTransientOptions<T> {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly count: number;
  /** The wait before retry number `attempt` (from 1), in ms. */
  readonly delay: (attempt: number) => number;
  /** A value announcing a retry, emitted before the wait; omit to announce nothing. */
  readonly announce?: (attempt: number, delay: number, error: RunwareError) => T;
}

/**
 * Re-subscribes to the source after a retryable failure (`error.retryable === true`: connection
 * loss, timeouts, rate limits, provider and 5xx-like failures), up to `count` times with the
 * given backoff. Validation, auth, quota and safety errors, and anything that is not a
 * `RunwareError`, go straight through. Re-subscribing must be safe: in runware-rx it re-sends
 * the same taskUUID, so the server never runs a task twice.
 *
 * @param options The retry budget and schedule.
 * @returns An operator.
 */
export function retryTransient<T>(options: RetryTransientOptions<T>): MonoTypeOperatorFunction<T> {
  const { count, delay, announce } = options;
  const retrying = (notices: Subject<T> | undefined): OperatorFunction<T, T> =>
    retry<T>({
      count,
      delay: (error: unknown, attempt: number) => {
        if (!isRunwareError(error) || !error.retryable) return throwError(() => error);
        const wait = delay(attempt);
        if (announce !== undefined) notices?.next(announce(attempt, wait, error));
        return timer(wait);
      },
    });
  return (source) => {
    if (count <= 0) return source;
    if (announce === undefined) return source.pipe(retrying(undefined));
    return defer(() => {
      const notices = new Subject<T>();
      return merge(notices, source.pipe(retrying(notices), finalize(() => notices.complete())));
    });
  };
}
