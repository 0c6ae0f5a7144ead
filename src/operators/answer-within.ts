import type { MonoTypeOperatorFunction } from 'rxjs';
import { concat, map, of, switchMap, takeWhile } from 'rxjs';
import { longTimer } from '../util/long-wait.js';

/**
 * Waits for the answer to something sent: passes through "sent" markers and then the first
 * other value, and completes. After each marker the answer must arrive within `ms`, or the
 * stream errors with `makeError()`. No deadline runs before the first marker, so time spent
 * queued while the connection is down does not count against the answer.
 *
 * @param isMarker Tells a "sent" marker from an answer.
 * @param ms The deadline after each marker, in ms; `Infinity` for none.
 * @param makeError Builds the error raised when the deadline passes.
 * @returns An operator that ends with the answer.
 *
 * @example
 * ```ts
 * replies$.pipe(answerWithin((reply) => reply.type === 'sent', 30_000, () => new Error('no ack')));
 * ```
 */
export function answerWithin<T>(isMarker: (value: T) => boolean, ms: number, makeError: () => Error): MonoTypeOperatorFunction<T> {
  return (source) =>
    source.pipe(
      takeWhile(isMarker, true),
      switchMap((value) =>
        !isMarker(value) || ms === Infinity
          ? of(value)
          : concat(
              of(value),
              longTimer(ms).pipe(
                map((): T => {
                  throw makeError();
                }),
              ),
            ),
      ),
    );
}
