import { Observable } from 'rxjs';
import { ValidationError } from '../errors/validation-error.js';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { taskUUIDProblem } from '../protocol/task-uuid.js';
import type { AnyTask, ResultReader } from '../tasks/define-task.js';
import { checkTaskOptions, notAnObject } from './check-task-options.js';
import type { TaskContext } from './task-context.js';
import type { TaskOptions } from './task-plan.js';
import { startTask } from './task-run.js';

/** Which task to watch again, and how many results it makes. */
export interface AttachOptions<TTaskType extends string = string> extends Omit<TaskOptions, 'taskUUID' | 'retryFailed' | 'strictParams'> {
  /** The task's type, as submitted (`videoInference`), or the name of its method. */
  readonly taskType: TTaskType;
  /** The `numberResults` it was submitted with. Default 1. */
  readonly numberResults?: number | undefined;
}

/**
 * Results of a task type this client has no definition for: any finished item, recognised by what
 * it says (an attached task is only ever polled, and each answer repeats what finished before).
 */
const ANY_RESULT: ResultReader<unknown, unknown> = { isResult: () => false };

/**
 * Watches a task submitted earlier — by another process, or before a page reload — by polling it
 * with `getResponse` under its taskUUID; nothing is submitted. Polls at once, then on the usual
 * schedule; emits `status` and `result` events like the request that submitted it.
 *
 * @param context The client's connection, alarms, limits and policy.
 * @param tasks The client's task definitions, where the task's result rules are found.
 * @param taskUUID The task's taskUUID.
 * @param options Its type and result count, and the usual per-request options.
 * @param once Poll once and end with the answer (`getResponse`), instead of until the task is done.
 * @returns The task's events.
 */
export function attachTask(context: TaskContext, tasks: readonly AnyTask[], taskUUID: string, options: AttachOptions, once = false): Observable<TaskEvent> {
  return new Observable<TaskEvent>((subscriber) => {
    const what = once ? 'getResponse options' : 'attach options';
    // Plain JavaScript may pass anything: refused in words, as a request's options are.
    const shape = notAnObject(options, what);
    if (shape !== undefined) {
      subscriber.error(new ValidationError(what, [shape]));
      return undefined;
    }
    const { taskType, numberResults, ...rest } = options;
    const issues = [...checkAttach(taskUUID, taskType, numberResults, rest), ...(checkTaskOptions(rest) ?? [])];
    if (issues.length > 0) {
      subscriber.error(new ValidationError(what, issues));
      return undefined;
    }
    const definition = tasks.find((task) => task.taskType === taskType || task.name === taskType || task.aliases.includes(taskType));
    const { policy } = context;
    return startTask(context, {
      task: { taskType: definition?.taskType ?? taskType, taskUUID },
      delivery: 'poll',
      submit: false,
      noSlot: true,
      // A single look counts nothing: it ends with the answer.
      expected: once ? Infinity : (numberResults ?? 1),
      count: undefined,
      reader: definition?.result ?? ANY_RESULT,
      settled: once || (options.settled ?? false),
      retryFailed: false,
      once,
      total: options.timeout ?? policy.timeout ?? policy.pollTaskTimeout,
      answerTimeout: policy.answerTimeout,
      hint: options.expectedDuration,
    }, subscriber);
  });
}

/** Request options that say nothing of a task submitted before: refused rather than ignored (and left out of {@link AttachOptions}). */
const NOT_FOR_ATTACH = ['taskUUID', 'retryFailed', 'strictParams'] as const;

function checkAttach(taskUUID: unknown, taskType: unknown, numberResults: unknown, rest: object): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of NOT_FOR_ATTACH) {
    if ((rest as Record<string, unknown>)[key] !== undefined) issues.push({ path: key, message: `${key} is not an option of attach or getResponse, which watch a task submitted before` });
  }
  const uuidProblem = taskUUIDProblem(taskUUID);
  if (uuidProblem !== undefined) issues.push({ path: 'taskUUID', message: uuidProblem });
  if (typeof taskType !== 'string' || taskType === '') issues.push({ path: 'taskType', message: 'taskType is required: the type the task was submitted as' });
  if (numberResults !== undefined && !(typeof numberResults === 'number' && Number.isInteger(numberResults) && numberResults >= 1 && numberResults <= 20)) {
    issues.push({ path: 'numberResults', message: `numberResults must be an integer from 1 to 20 (got ${JSON.stringify(numberResults) ?? typeof numberResults})` });
  }
  return issues;
}
