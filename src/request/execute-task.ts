import { Observable } from 'rxjs';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import type { AnyTask, ParamsOf, PartialOf, ResultOf } from '../tasks/define-task.js';
import { parseParams } from '../tasks/parse-params.js';
import { checkTaskOptions } from './check-task-options.js';
import type { TaskContext } from './task-context.js';
import type { TaskOptions, TaskPlan } from './task-plan.js';
import { startTask } from './task-run.js';

/**
 * Runs one task of a given type as a cold Observable: each subscription checks the parameters
 * and options (a bad one is a `ValidationError` on the stream and nothing is sent), takes a
 * fresh taskUUID (or the caller's), and hands the request to the engine. Everything the engine
 * does differently per task type comes from the definition.
 *
 * @param context The client's connection, alarms, limits and policy.
 * @param definition The task type.
 * @param params The caller's parameters.
 * @param options Per-request deadline, failure policy and taskUUID.
 * @returns The request's events.
 */
export function executeTask<D extends AnyTask>(
  context: TaskContext,
  definition: D,
  params: ParamsOf<D>,
  options?: TaskOptions,
): Observable<TaskEvent<ResultOf<D>, PartialOf<D>>> {
  return new Observable((subscriber) => {
    const { taskType, count } = definition;
    const optionIssues = checkTaskOptions(options);
    if (optionIssues !== undefined) {
      subscriber.error(new ValidationError(`${taskType} request`, optionIssues, taskType));
      return undefined;
    }
    const parsed = parseParams(definition.params, params);
    if (!parsed.success) {
      subscriber.error(new ValidationError(`${taskType} request`, parsed.issues, taskType));
      return undefined;
    }
    const { policy } = context;
    const taskUUID = options?.taskUUID ?? newTaskUUID();
    const task: TaskPlan['task'] = { taskType, taskUUID, ...definition.defaults, ...parsed.output };
    const delivery = task['deliveryMethod'] === 'async' ? 'poll' : definition.delivery;
    const requested = count === undefined ? undefined : parsed.output[count];
    const plan: TaskPlan = {
      task,
      delivery,
      submit: true,
      expected: typeof requested === 'number' ? requested : 1,
      count,
      reader: definition.result,
      settled: options?.settled ?? false,
      retryFailed: options?.retryFailed ?? policy.retryFailed,
      total: options?.timeout ?? (delivery === 'poll' ? policy.pollTaskTimeout : policy.pushTimeout),
      answerTimeout: definition.answerTimeout ?? policy.answerTimeout,
    };
    return startTask(context, plan, subscriber);
  });
}
