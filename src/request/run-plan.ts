import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';
import type { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { collectResults } from '../operators/collect-results.js';
import { retryTransient } from '../operators/retry-transient.js';
import { taskTimeout } from '../operators/task-timeout.js';
import type { AttemptPlan } from './attempt-plan.js';
import { pushedTask } from './pushed-task.js';
import { polledAttempt } from './polled-attempt.js';
import type { TaskContext } from './task-context.js';
import type { AttemptEvent, TaskEvent } from './task-event.js';

/** Per-request options of the Observable API. */
export interface TaskOptions {
  /** Whole-task deadline in ms, replacing the client's default for this request. */
  readonly timeout?: number | undefined;
  /**
   * Report failed items as `failed` events beside the successful ones instead of failing the
   * request at the first one (for `numberResults` > 1).
   */
  readonly settled?: boolean | undefined;
}

const announceRetry = (attempt: number, delay: number, error: RunwareError): AttemptEvent => ({ type: 'retrying', attempt, delay, error });

/**
 * The one place that wires a task's life together: wait for a slot, attempt, retry transient
 * failures with the same taskUUID, number and de-duplicate results, and bound the whole by the
 * task's deadline (which starts when the task leaves the `maxInFlight` queue). Polled tasks are
 * a composition of the operators; pushed tasks, nearly every request, take the fused path of
 * `pushed-task.ts`, which follows the same rules with the same pieces.
 *
 * @param context The client's connection, poll clock, limits and policy.
 * @param plan The task and how to read its replies.
 * @param options Per-request deadline.
 * @returns The request's events.
 */
export function runPlan<R>(context: TaskContext, plan: AttemptPlan, options: TaskOptions): Observable<TaskEvent<R>> {
  const { policy } = context;
  const { taskUUID, taskType } = plan.task;
  if (options.timeout !== undefined && !(options.timeout > 0)) {
    const issue = { path: 'timeout', message: 'timeout must be a number of milliseconds above 0' };
    return throwError(() => new ValidationError(taskType, [issue]));
  }
  const total = options.timeout ?? (plan.mode === 'sync' ? policy.syncTimeout : policy.asyncTimeout);
  // A pushed task registers itself with context.requests (it is its own abortable state).
  if (plan.mode === 'sync') return context.limiter.limit(pushedTask<R>(context, plan, total));
  // Once the server acknowledged the task, a retry polls it again rather than re-submitting it.
  const progress = { accepted: false };
  const task$ = polledAttempt(context, plan, progress).pipe(
    retryTransient<AttemptEvent>({ count: policy.maxRetries, delay: policy.retryBackoff, announce: announceRetry }),
    collectResults<R>({ taskUUID, taskType, expected: plan.read.expected, keyOf: plan.read.resultKey, settled: plan.settled }),
    taskTimeout(total, () => new TaskTimeoutError('total', total, { taskUUID, taskType }), context.deadlines.after),
  );
  return context.limiter.limit(task$).pipe(context.requests.track());
}
