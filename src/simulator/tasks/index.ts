import { caption } from './caption.js';
import { getResponse } from './get-response.js';
import { imageInference } from './image-inference.js';
import { promptEnhance } from './prompt-enhance.js';
import { removeBackground } from './remove-background.js';
import type { TaskHandler } from './task-handler.js';
import { upscale } from './upscale.js';
import { imageUpload, mediaStorage } from './uploads.js';
import { videoInference } from './video-inference.js';

/**
 * Every task type by wire name. The legacy names py-legacy still sends (protocol §0.3, §10.3) run
 * the same handler with their legacy field layouts, and their results carry the name that was sent.
 */
const HANDLERS: Readonly<Record<string, TaskHandler>> = {
  imageInference,
  videoInference,
  getResponse,
  upscale,
  imageUpscale: upscale,
  removeBackground,
  imageBackgroundRemoval: removeBackground,
  caption,
  imageCaption: caption,
  promptEnhance,
  imageUpload,
  mediaStorage,
};

/**
 * Task types the simulator answers (authentication and ping are handled by the connection itself).
 * A function, so that importing the simulator computes nothing.
 */
export const supportedTaskTypes = (): readonly string[] => ['authentication', 'ping', ...Object.keys(HANDLERS)];

/** The handler of a task type; own keys only, so `toString` or `__proto__` are simply unsupported. */
export const handlerFor = (taskType: string): TaskHandler | undefined =>
  Object.hasOwn(HANDLERS, taskType) ? HANDLERS[taskType] : undefined;
