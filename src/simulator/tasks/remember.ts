import { compactValue } from '../compact.js';
import { TASK_LOG_LIMITS } from '../task-log.js';
import type { Generation, TaskRecord } from '../task-store.js';
import type { TaskObject } from '../types.js';
import type { TaskContext } from './task-handler.js';

/**
 * The task as `getTaskDetails` will answer it: the object received, by reference, when its share
 * of its frame is small (nearly always: nothing is copied or walked), else a bounded copy cut as
 * the task log cuts it, so that a task carrying a 10 MB image is not kept whole for ten minutes.
 */
const archived = ({ task, shareBytes }: TaskContext): TaskObject =>
  shareBytes <= TASK_LOG_LIMITS.wholeTaskBytes ? task : (compactValue(task, TASK_LOG_LIMITS.compact).value as TaskObject);

/**
 * Remembers an accepted task (for `conflictTaskUUID`, `getResponse`, `getTaskDetails` and the
 * account's usage), from the moment it is accepted.
 *
 * @param context The task.
 * @param generations Its outputs, to be produced.
 * @param cost What it costs, in USD.
 * @param createdAt When it was accepted (the caller's `env.now()`, read once).
 * @param running What its `processing` items report, when more than the default progress.
 */
export const rememberTask = (context: TaskContext, generations: readonly Generation[], cost: number, createdAt: number, running?: TaskRecord['running']): void => {
  const { env, taskType, taskUUID } = context;
  // One object literal either way (no spread): this runs for every image of the hot path.
  const request = archived(context);
  env.tasks.add(running === undefined ? { taskType, taskUUID, createdAt, generations, request, cost } : { taskType, taskUUID, createdAt, generations, request, cost, running });
};
