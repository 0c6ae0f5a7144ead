import type { RunwareError } from './runware-error.js';

/** Which task an error is about, and whether that task was ever sent. */
export interface TaskIdentity {
  readonly taskUUID: string;
  readonly taskType: string;
  readonly sent: boolean;
}

/**
 * Returns the error as it is when it already names the task and says whether it was sent,
 * otherwise a copy that does (same class, message, stack and cause). Errors that reach a task
 * from outside it (the connection gave up, `disconnect()`) are shared or anonymous; the caller
 * needs the taskUUID to `attach` to or reconcile a task that may have been billed.
 *
 * @param error The error ending the task.
 * @param task The task.
 * @returns An error naming the task.
 */
export function forTask(error: RunwareError, task: TaskIdentity): RunwareError {
  if (error.taskUUID === task.taskUUID && error.sent !== undefined) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as RunwareError;
  const fields: Record<string, PropertyDescriptor> = {
    taskUUID: { value: task.taskUUID, enumerable: true },
    sent: { value: error.sent ?? task.sent, enumerable: true },
  };
  if (error.taskType === undefined) fields['taskType'] = { value: task.taskType, enumerable: true };
  return Object.defineProperties(copy, fields);
}
