import type { Observable } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import type { TaskEvent } from '../request/task-event.js';

/**
 * Runs a request stream to its end and resolves with its result items in index order. An
 * `AbortSignal` unsubscribes (stopping timers and polls) and rejects with an `aborted` error.
 *
 * @param events$ The request's events.
 * @param signal Cancels the wait when it fires.
 * @returns The result items.
 */
export function toResultPromise<R>(events$: Observable<TaskEvent<R>>, signal?: AbortSignal): Promise<R[]> {
  return new Promise<R[]>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal.reason));
      return;
    }
    const results: R[] = [];
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
        if (event.type === 'result') results[event.index] = event.item;
      },
      error: (error: unknown) => finish(() => reject(error)),
      complete: () => finish(() => resolve(results.filter(() => true))),
    });
    if (!settled) signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortedError(reason: unknown): RunwareError {
  return new RunwareError({
    code: 'aborted',
    message: 'The request was aborted; the server may still complete (and bill) a task already sent.',
    retryable: false,
    cause: reason,
  });
}
