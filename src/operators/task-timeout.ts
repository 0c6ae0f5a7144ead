import type { MonoTypeOperatorFunction } from 'rxjs';
import { map, takeUntil, timer } from 'rxjs';

/**
 * Bounds a whole stream: if it has not completed `ms` after subscription it errors with
 * `makeError()` (and is unsubscribed, which stops its timers and polls).
 *
 * @param ms The deadline, in ms; `Infinity` for none.
 * @param makeError Builds the error raised when the deadline passes.
 * @returns An operator.
 */
export function taskTimeout<T>(ms: number, makeError: () => Error): MonoTypeOperatorFunction<T> {
  return (source) =>
    ms === Infinity
      ? source
      : source.pipe(
          takeUntil(
            timer(ms).pipe(
              map(() => {
                throw makeError();
              }),
            ),
          ),
        );
}
