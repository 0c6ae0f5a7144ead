import type { Observable } from 'rxjs';
import { defer, throwError } from 'rxjs';
import * as v from 'valibot';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { backoffDelay } from '../operators/backoff.js';
import { collectResults } from '../operators/collect-results.js';
import { retryTransient } from '../operators/retry-transient.js';
import { taskTimeout } from '../operators/task-timeout.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import type { TaskDefinition, TaskParams, TaskResult } from '../tasks/define-task.js';
import type { AttemptPlan } from './run-attempt.js';
import { runAttempt } from './run-attempt.js';
import type { TaskContext } from './task-context.js';
import type { AttemptEvent, TaskEvent } from './task-event.js';

/** Per-request options of the Observable API. */
export interface TaskOptions {
  /** Whole-task deadline in ms, replacing the client's default for this request. */
  readonly timeout?: number;
  /**
   * Report failed items as `failed` events beside the successful ones instead of failing the
   * request at the first one (for `numberResults` > 1).
   */
  readonly settled?: boolean;
}

/**
 * Runs one task as a cold Observable: each subscription validates the parameters (a bad one is
 * a `ValidationError` on the stream and nothing is sent), draws a fresh taskUUID, submits the
 * task, retries transient failures with that same taskUUID, numbers and de-duplicates results,
 * and completes after the last expected one. Unsubscribing stops every timer and poll.
 *
 * @param context The client's connection, poll clock and policy.
 * @param definition The task type.
 * @param params The caller's parameters.
 * @param options Per-request deadline and failure policy.
 * @returns The request's events.
 */
export function executeTask<D extends TaskDefinition>(
  context: TaskContext,
  definition: D,
  params: TaskParams<D>,
  options: TaskOptions = {},
): Observable<TaskEvent<TaskResult<D>>> {
  return defer(() => {
    const { taskType } = definition;
    const parsed = v.safeParse(definition.schema, params);
    if (!parsed.success) {
      const issues = parsed.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));
      return throwError(() => new ValidationError(taskType, issues));
    }
    const taskUUID = newTaskUUID();
    const task: AttemptPlan['task'] = { taskType, taskUUID, ...definition.defaults, ...(parsed.output as object) };
    const mode = task['deliveryMethod'] === 'async' ? 'async' : 'sync';
    const expected = definition.expectedResults(parsed.output);
    const settled = options.settled ?? false;
    const plan: AttemptPlan = { task, mode, settled, read: { taskUUID, taskType, expected, resultKey: definition.resultKey } };
    const { policy } = context;
    const total = options.timeout ?? (mode === 'async' ? policy.asyncTimeout : policy.syncTimeout);
    return runAttempt(context, plan).pipe(
      retryTransient<AttemptEvent>({
        count: policy.maxRetries,
        delay: backoffDelay({ initial: policy.retryDelay }),
        announce: (attempt, delay, error) => ({ type: 'retrying', attempt, delay, error }),
      }),
      collectResults<TaskResult<D>>({ taskUUID, taskType, expected, keyOf: definition.resultKey, settled }),
      taskTimeout(total, () => new TaskTimeoutError('total', total, { taskUUID, taskType })),
    );
  });
}
