import type { OutboundTask } from '../protocol/frames.js';

/**
 * The kind of a task, as far as how long it takes: its type, its model and, for tasks that have
 * one, its `duration` (a 10 s video takes about twice as long as a 5 s one of the same model,
 * and the models that fix their durations allow two or three, so the kinds stay few). Other
 * parameters (resolution, steps) change the time too, but keying on all of them would leave most
 * kinds with a single task to learn from; the window of a kind widens to cover what varies.
 *
 * @param task The task as submitted.
 * @returns The key its finished tasks are remembered under.
 *
 * @example
 * ```ts
 * readyKey({ taskType: 'videoInference', model: 'klingai:5@3', duration: 5 }); // 'videoInference klingai:5@3 5'
 * ```
 */
export function readyKey(task: OutboundTask): string {
  const { model, duration } = task;
  return `${task.taskType} ${typeof model === 'string' ? model : ''} ${typeof duration === 'number' ? duration : ''}`;
}
