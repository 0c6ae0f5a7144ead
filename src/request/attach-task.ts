import type { Observable } from 'rxjs';
import { defer, throwError } from 'rxjs';
import * as v from 'valibot';
import { validationErrorFrom } from '../errors/validation-error.js';
import type { DataItem } from '../protocol/frames.js';
import { isUUIDv4 } from '../protocol/task-uuid.js';
import { firstStringField } from '../tasks/define-task.js';
import type { TaskOptions } from './run-plan.js';
import { runPlan } from './run-plan.js';
import type { TaskContext } from './task-context.js';
import type { TaskEvent } from './task-event.js';

/** Which task to watch again, and how many results it makes. */
export interface AttachOptions<TTaskType extends string = string> extends TaskOptions {
  /** The task's type, as submitted (`videoInference`, ...). */
  readonly taskType: TTaskType;
  /** The `numberResults` it was submitted with. Default 1. */
  readonly numberResults?: number | undefined;
}

const attachSchema = v.looseObject({
  taskUUID: v.pipe(v.string(), v.check(isUUIDv4, 'taskUUID must be a UUID v4')),
  taskType: v.pipe(v.string(), v.nonEmpty('taskType is required')),
  numberResults: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20))),
});

const resultKey = firstStringField('imageUUID', 'videoUUID', 'audioUUID', 'mediaUUID', 'modelUUID');

/**
 * Watches a task submitted earlier — by another process, or before a page reload — by polling
 * it with `getResponse` under its taskUUID; nothing is submitted. Polls at once, then on the
 * usual schedule; emits `status` and `result` events like the request that submitted it.
 *
 * @param context The client's connection, poll clock, limits and policy.
 * @param taskUUID The task's taskUUID.
 * @param options Its type and result count, and the usual per-request options.
 * @returns The task's events.
 */
export function attachTask(context: TaskContext, taskUUID: string, options: AttachOptions): Observable<TaskEvent<DataItem>> {
  return defer(() => {
    const parsed = v.safeParse(attachSchema, { taskUUID, taskType: options.taskType, numberResults: options.numberResults });
    if (!parsed.success) return throwError(() => validationErrorFrom('attach', parsed.issues));
    const { taskType, numberResults = 1 } = parsed.output;
    return runPlan<DataItem>(
      context,
      {
        task: { taskType, taskUUID },
        mode: 'poll',
        settled: options.settled ?? false,
        read: { taskUUID, taskType, expected: numberResults, resultKey },
      },
      options,
    );
  });
}
