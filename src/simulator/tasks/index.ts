import { getResponse } from './get-response.js';
import { imageInference } from './image-inference.js';
import type { TaskHandler } from './task-handler.js';
import { videoInference } from './video-inference.js';

const HANDLERS: Readonly<Record<string, TaskHandler>> = { imageInference, videoInference, getResponse };

/**
 * Task types the simulator answers (authentication and ping are handled by the connection itself).
 * A function, so that importing the simulator computes nothing.
 */
export const supportedTaskTypes = (): readonly string[] => ['authentication', 'ping', ...Object.keys(HANDLERS)];

/** The handler of a task type; own keys only, so `toString` or `__proto__` are simply unsupported. */
export const handlerFor = (taskType: string): TaskHandler | undefined =>
  Object.hasOwn(HANDLERS, taskType) ? HANDLERS[taskType] : undefined;
