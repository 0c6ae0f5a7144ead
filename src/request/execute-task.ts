import type { Observable } from 'rxjs';
import { defer, throwError } from 'rxjs';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskDefinition, TaskParams, TaskResult } from '../tasks/define-task.js';
import { parseParams } from '../tasks/parse-params.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import type { AttemptPlan } from './attempt-plan.js';
import type { TaskOptions } from './run-plan.js';
import { runPlan } from './run-plan.js';
import type { TaskContext } from './task-context.js';
import type { TaskEvent } from './task-event.js';

/**
 * Runs one task as a cold Observable: each subscription validates the parameters (a bad one is
 * a `ValidationError` on the stream and nothing is sent), draws a fresh taskUUID, submits the
 * task, retries transient failures with that same taskUUID, numbers and de-duplicates results,
 * and completes after the last expected one. Unsubscribing stops every timer and poll.
 *
 * @param context The client's connection, poll clock, limits and policy.
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
    const parsed = parseParams(definition.schema, params);
    if (!parsed.success) return throwError(() => new ValidationError(taskType, parsed.issues));
    const taskUUID = newTaskUUID();
    const task: AttemptPlan['task'] = { taskType, taskUUID, ...definition.defaults, ...parsed.output };
    const plan: AttemptPlan = {
      task,
      mode: task['deliveryMethod'] === 'async' ? 'async' : 'sync',
      settled: options.settled ?? false,
      read: { taskUUID, taskType, expected: definition.expectedResults(parsed.output), resultKey: definition.resultKey },
    };
    return runPlan<TaskResult<D>>(context, plan, options);
  });
}
