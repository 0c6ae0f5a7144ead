import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { taskUUIDField } from './fields.js';
import { readResults } from './result-readers.js';

/** Parameters of `getTaskDetails`: the taskUUID of the task to look up. */
const getTaskDetailsSchema = v.strictObject({
  taskUUID: taskUUIDField,
});

/** What `getTaskDetails` accepts. */
export type GetTaskDetailsParams = ParamsOf<typeof getTaskDetails>;

/** A task as the server archived it: what was asked, and what was answered. */
export interface GetTaskDetailsResult {
  readonly taskType: 'getTaskDetails';
  readonly taskUUID: string;
  readonly request: readonly Readonly<Record<string, unknown>>[];
  readonly response: { readonly data?: readonly Readonly<Record<string, unknown>>[]; readonly errors?: readonly Readonly<Record<string, unknown>>[] };
}

/**
 * `getTaskDetails`: an archived task's request and response. It is sent under the looked-up
 * task's own taskUUID, so its answer is told apart by its `taskType`.
 */
export const getTaskDetails = defineTask({
  name: 'getTaskDetails',
  aliases: [],
  taskType: 'getTaskDetails',
  params: getTaskDetailsSchema,
  delivery: 'push',
  targets: 'taskUUID',
  result: readResults<GetTaskDetailsResult>({ isResult: (item) => item.taskType === 'getTaskDetails' && item['request'] !== undefined }),
});
