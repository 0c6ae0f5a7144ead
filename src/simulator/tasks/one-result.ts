import type { Eventually } from '../media/media-engine.js';
import type { DataItem } from '../types.js';
import type { TaskContext } from './task-handler.js';
import type { ToolAnswer } from './tool-task.js';

/** What a tool task with one result needs of its parameters: how that result is delivered. */
interface Delivered {
  readonly deliveryMethod: 'sync' | 'async';
}

/**
 * The `answer` of a tool task that has one result (uploads, caption, vectorize and the image
 * tools; not promptEnhance's versions nor the `numberResults` of the inference tasks): delivered
 * as the task asked (`deliveryMethod`), and built by `build` when it is due.
 *
 * @param build Makes the result item (without `status`); may reject with a ParamError for an input bad once decoded.
 * @returns The handler's `answer`.
 */
export const answerOnce =
  <P extends Delivered>(build: (params: P, context: TaskContext) => Eventually<DataItem>) =>
  (params: P, context: TaskContext): ToolAnswer => ({
    deliveryMethod: params.deliveryMethod,
    results: 1,
    produce: () => build(params, context),
  });
