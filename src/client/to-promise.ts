import type { Observable } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import type { TaskEvent } from '../request/task-event.js';

/** One item of a `settled` request: its result, or why it failed. */
export type SettledResult<R> =
  | { readonly status: 'fulfilled'; readonly index: number; readonly value: R }
  | { readonly status: 'rejected'; readonly index: number; readonly reason: RunwareError };

/**
 * Runs a request stream to its end and resolves with its items in index order: the results, or
 * in `settled` mode every item as a {@link SettledResult}. An `AbortSignal` unsubscribes
 * (stopping timers and polls) and rejects with an `aborted` error.
 *
 * @param events$ The request's events.
 * @param signal Cancels the wait when it fires.
 * @returns The items.
 */
export function toPromise<R>(events$: Observable<TaskEvent<R>>, signal: AbortSignal | undefined): Promise<SettledResult<R>[]> {
  return new Promise<SettledResult<R>[]>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal.reason));
      return;
    }
    const items: SettledResult<R>[] = [];
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      subscription.unsubscribe();
      reject(abortedError(signal?.reason));
    };
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const subscription = events$.subscribe({
      next: (event) => {
        if (event.type === 'result') items[event.index] = { status: 'fulfilled', index: event.index, value: event.item };
        if (event.type === 'failed') items[event.index] = { status: 'rejected', index: event.index, reason: event.error };
      },
      error: (error: unknown) => finish(() => reject(error)),
      complete: () => finish(() => resolve(items)),
    });
    if (!settled) signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The results of a request that succeeded as a whole (no item failed).
 *
 * @param items The settled items.
 * @returns Their values.
 */
export function valuesOf<R>(items: readonly SettledResult<R>[]): R[] {
  return items.flatMap((item) => (item.status === 'fulfilled' ? [item.value] : []));
}

function abortedError(reason: unknown): RunwareError {
  return new RunwareError({
    code: 'aborted',
    message: 'The request was aborted; the server may still complete (and bill) a task already sent.',
    retryable: false,
    cause: reason,
  });
}
