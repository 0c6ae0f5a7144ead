import { accountManagement } from './account-management.js';
import { audioInference } from './audio-inference.js';
import { caption } from './caption.js';
import { controlNetPreprocess } from './control-net-preprocess.js';
import { imageMasking } from './image-masking.js';
import { modelSearch } from './model-search.js';
import { modelUpload } from './model-upload.js';
import { photoMaker } from './photo-maker.js';
import { vectorize } from './vectorize.js';
import { getResponse } from './get-response.js';
import { getTaskDetails } from './get-task-details.js';
import { imageInference } from './image-inference.js';
import { promptEnhance } from './prompt-enhance.js';
import { removeBackground } from './remove-background.js';
import { textInference } from './text-inference.js';
import { threeDInference } from './three-d-inference.js';
import { training } from './training.js';
import type { AnyTaskHandler } from './task-handler.js';
import { upscale } from './upscale.js';
import { imageUpload, mediaStorage } from './uploads.js';
import { captionVideo, removeVideoBackground, upscaleVideo, withVideoForm } from './video-tools.js';
import { videoInference } from './video-inference.js';

/**
 * Every task type by wire name. The legacy names py-legacy still sends (protocol §0.3, §10.3) run
 * the same handler with their legacy field layouts, and their results carry the name that was sent.
 */
const HANDLERS: Readonly<Record<string, AnyTaskHandler>> = {
  imageInference,
  videoInference,
  getResponse,
  // The current names take the video form too (inputs.video); the legacy names are py-legacy's image requests.
  upscale: withVideoForm(upscale, upscaleVideo),
  imageUpscale: upscale,
  removeBackground: withVideoForm(removeBackground, removeVideoBackground),
  imageBackgroundRemoval: removeBackground,
  caption: withVideoForm(caption, captionVideo),
  imageCaption: caption,
  promptEnhance,
  imageUpload,
  mediaStorage,
  audioInference,
  textInference,
  '3dInference': threeDInference,
  vectorize,
  imageMasking,
  controlNetPreprocess,
  imageControlNetPreProcess: controlNetPreprocess,
  photoMaker,
  modelSearch,
  modelUpload,
  training,
  accountManagement,
  getTaskDetails,
};

/**
 * Task types the simulator answers (authentication and ping are handled by the connection itself).
 * A function, so that importing the simulator computes nothing.
 */
export const supportedTaskTypes = (): readonly string[] => ['authentication', 'ping', ...Object.keys(HANDLERS)];

/** The handler of a task type; own keys only, so `toString` or `__proto__` are simply unsupported. */
export const handlerFor = (taskType: string): AnyTaskHandler | undefined =>
  Object.hasOwn(HANDLERS, taskType) ? HANDLERS[taskType] : undefined;
