/*
 * Every task type runware-rx knows, one line each: its definition and its types. The client's
 * methods (`createRunware`), `attach`'s result rules and the public types all come from here.
 * Adding a task type is a definition file and a line here (and a handler in the simulator).
 */
export { imageInference, type ImageInferenceParams, type ImageInferenceResult } from './image-inference.js';
export { videoInference, type VideoInferenceParams, type VideoInferenceResult } from './video-inference.js';
export { upscale, type UpscaleParams, type UpscaleResult } from './upscale.js';
export { removeBackground, type RemoveBackgroundParams, type RemoveBackgroundResult } from './remove-background.js';
export { caption, type CaptionParams, type CaptionResult } from './caption.js';
export { promptEnhance, type PromptEnhanceParams, type PromptEnhanceResult } from './prompt-enhance.js';
export { imageUpload, type ImageUploadParams, type ImageUploadResult } from './image-upload.js';
export { mediaStorage, type MediaStorageParams, type MediaStorageResult } from './media-storage.js';
