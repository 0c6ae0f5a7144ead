import type { MonoTypeOperatorFunction } from 'rxjs';
import { Subject, defer, finalize, merge, retry, tap, throwError, timer } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { backoffDelay } from '../operators/backoff.js';
import type { LinkEvent } from './link-event.js';

/** When and how often a lost link is dialled again. */
export interface ReconnectOptions {
  /** The first wait, in ms; it doubles up to `maxDelay`. */
  readonly initialDelay: number;
  /** The longest wait before jitter, in ms. */
  readonly maxDelay: number;
  /** Up to this many ms of random delay added after the cap. */
  readonly jitter: number;
  /** Failed attempts in a row before giving up; `Infinity` never gives up. */
  readonly attempts: number;
  /** The random source for jitter; injectable for tests. */
  readonly random?: () => number;
}

/**
 * Re-dials a link that was lost after it had opened, with exponential backoff, and reports each
 * pause as a `reconnecting` event. It does not retry a link that never opened (a bad URL or a
 * server that is down fails the caller at once), non-retryable errors (a rejected key), or more
 * than `attempts` failures in a row; those end the stream with the error. Built on `retry`, so
 * however many times it reconnects there is one subscription chain and one loop.
 *
 * @param options The backoff schedule and the attempt limit.
 * @returns An operator over link events.
 */
export function reconnect(options: ReconnectOptions): MonoTypeOperatorFunction<LinkEvent> {
  const delayFor = backoffDelay({
    initial: options.initialDelay,
    max: options.maxDelay,
    jitter: options.jitter,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  return (link$) =>
    defer(() => {
      const notices = new Subject<LinkEvent>();
      let opened = false;
      let failures = 0;
      const retried$ = link$.pipe(
        tap((event) => {
          if (event.type !== 'open') return;
          opened = true;
          failures = 0;
        }),
        retry({
          delay: (error: unknown) => {
            const reason = asRunwareError(error);
            if (!opened || !reason.retryable) return throwError(() => reason);
            if (failures >= options.attempts) return throwError(() => gaveUp(failures, reason));
            failures += 1;
            const delay = delayFor(failures);
            notices.next({ type: 'reconnecting', attempt: failures, delay, error: reason });
            return timer(delay);
          },
        }),
      );
      return merge(notices, retried$.pipe(finalize(() => notices.complete())));
    });
}

function gaveUp(attempts: number, last: RunwareError): RunwareError {
  return new RunwareError({
    code: 'connection',
    message: `Gave up reconnecting after ${attempts} attempts: ${last.message}`,
    cause: last,
  });
}

function asRunwareError(error: unknown): RunwareError {
  if (error instanceof RunwareError) return error;
  return new RunwareError({ code: 'connection', message: String(error), cause: error });
}
