import { Observable } from 'rxjs';
import type { RunwareError } from '../errors/runware-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { toPromise } from './to-promise.js';
import type { SettledResult } from './to-promise.js';

/** A task's state as one poll found it (`getResponse`). */
export interface TaskStatus<R> {
  readonly taskUUID: string;
  /** The server's summary: `processing` while any item runs, `success` when all are done, `error` when one failed and none runs. */
  readonly status: string;
  /** Mean percent done of the items still running, when the server reports it. */
  readonly progress?: number;
  /** The items finished so far. */
  readonly results: readonly R[];
  /** The items that failed. */
  readonly failures: readonly RunwareError[];
}

/**
 * Reads one poll's events into the task's state.
 *
 * @param taskUUID The task polled.
 * @param events$ The events of one poll (results and failures settled item by item).
 * @param signal Cancels the wait.
 * @returns The state.
 */
export async function toTaskStatus<R>(taskUUID: string, events$: Observable<TaskEvent<R, unknown>>, signal: AbortSignal | undefined): Promise<TaskStatus<R>> {
  const summary: { status: string; progress?: number } = { status: 'processing' };
  const watched = new Observable<TaskEvent<R, unknown>>((subscriber) =>
    events$.subscribe({
      next: (event) => {
        if (event.type === 'status') Object.assign(summary, event.progress === undefined ? { status: event.status } : { status: event.status, progress: event.progress });
        subscriber.next(event);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  );
  // The task looked at was submitted before: an abort says so.
  const outcomes = await toPromise<R, SettledResult<R>>(watched, { signal, settled: true, taskUUID, sent: true });
  const results = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
  return { taskUUID, ...summary, results, failures };
}
