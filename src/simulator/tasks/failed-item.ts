import type { FailureShape } from '../options.js';
import type { DataItem, ErrorItem } from '../types.js';

/**
 * A failed generation as a reply reports it (protocol §5.5), in the shape the simulator was asked
 * for: a top-level `errors` item with `status: "error"` (the docs'), or a `data` item with
 * `status: "error"` and the error nested under `error` (the new SDKs'), its task named beside it.
 *
 * @param failure The generation's error item.
 * @param shape Which of the two.
 * @param task The task it is of.
 * @returns The reply's part: `data` or `errors`, of the one item.
 */
export const failedItem = (failure: ErrorItem, shape: FailureShape, task: { readonly taskType: string; readonly taskUUID: string }): { data: DataItem[] } | { errors: ErrorItem[] } => {
  if (shape === 'errors') return { errors: [{ ...failure, status: 'error' }] };
  const { taskType: _taskType, taskUUID: _taskUUID, status: _status, ...error } = failure;
  return { data: [{ taskType: task.taskType, taskUUID: task.taskUUID, status: 'error', error }] };
};
