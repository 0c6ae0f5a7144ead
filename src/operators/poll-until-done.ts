import type { Observable } from 'rxjs';
import { defer, repeat, switchMap, take, takeWhile, tap } from 'rxjs';
import { longTimer } from '../util/long-wait.js';

/** How to poll, when to stop and how long to wait in between. */
export interface PollUntilDoneOptions<T> {
  /** Performs poll number `attempt` (from 1); its first value is the answer. */
  readonly poll: (attempt: number) => Observable<T>;
  /** Tells whether an answer is final; polling stops after it. */
  readonly isDone: (answer: T) => boolean;
  /** The wait before poll number `attempt`, given the previous answer, in ms. */
  readonly delay: (attempt: number, previous: T | undefined) => number;
  /** Waits that long; default a timer of `ms`, however long. A shared clock here makes many tasks poll together. */
  readonly wait?: (ms: number) => Observable<unknown>;
}

/**
 * Polls until an answer is final: waits, polls, emits the answer, and repeats; completes right
 * after the final answer. One poll at a time, each waiting for the previous answer. Errors of a
 * poll end the stream (wrap `poll` in its own retry to re-poll instead). Unsubscribing stops the
 * wait and the poll in progress.
 *
 * @param options The poll, the stop condition and the schedule.
 * @returns Every answer, the final one last.
 *
 * @example
 * ```ts
 * pollUntilDone({
 *   poll: () => getStatus$(id),
 *   isDone: (answer) => answer.status !== 'processing',
 *   delay: (attempt) => 1000 * 1.5 ** (attempt - 1),
 * });
 * ```
 */
export function pollUntilDone<T>(options: PollUntilDoneOptions<T>): Observable<T> {
  const { poll, isDone, delay, wait = longTimer } = options;
  return defer(() => {
    let attempt = 0;
    let previous: T | undefined;
    return defer(() => {
      attempt += 1;
      const current = attempt;
      return wait(delay(current, previous)).pipe(
        take(1),
        switchMap(() => poll(current).pipe(take(1))),
      );
    }).pipe(
      tap((answer) => {
        previous = answer;
      }),
      repeat(),
      takeWhile((answer) => !isDone(answer), true),
    );
  });
}
