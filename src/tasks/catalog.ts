/*
 * Every task type runware-rx knows, one line each: its definition and its types. The client's
 * methods (`createRunware`), `attach`'s result rules and the public types all come from here.
 * Adding a task type is a definition file and a line here (and a handler in the simulator).
 */
export { imageInference, type ImageInferenceParams, type ImageInferenceResult } from './image-inference.js';
export { videoInference, type VideoInferenceParams, type VideoInferenceResult } from './video-inference.js';
export { upscale, type UpscaleParams, type UpscaleResult } from './upscale.js';
export type { ImageToolResult } from './image-tool-result.js';
export { removeBackground, type RemoveBackgroundParams, type RemoveBackgroundResult } from './remove-background.js';
export { caption, type CaptionParams, type CaptionResult } from './caption.js';
export { promptEnhance, type PromptEnhanceParams, type PromptEnhanceResult } from './prompt-enhance.js';
export { imageUpload, type ImageUploadParams, type ImageUploadResult } from './image-upload.js';
export { mediaStorage, type MediaStorageParams, type MediaStorageResult } from './media-storage.js';
export { audioInference, type AudioInferenceParams, type AudioInferenceResult } from './audio-inference.js';
export { textInference, type TextInferenceDelta, type TextInferenceParams, type TextInferenceResult, type TextUsage } from './text-inference.js';
export { threeDInference, type ThreeDInferenceParams, type ThreeDInferenceResult } from './three-d-inference.js';
export { vectorize, type VectorizeParams, type VectorizeResult } from './vectorize.js';
export { imageMasking, type ImageMaskingParams, type ImageMaskingResult, type Detection } from './image-masking.js';
export { controlNetPreprocess, type ControlNetPreprocessParams, type ControlNetPreprocessResult } from './control-net-preprocess.js';
export { photoMaker, type PhotoMakerParams, type PhotoMakerResult } from './photo-maker.js';
export { videoCaption, videoUpscale, videoBackgroundRemoval, type VideoCaptionParams, type VideoCaptionResult, type VideoUpscaleParams, type VideoBackgroundRemovalParams, type VideoToolResult } from './video-tools.js';
export { modelSearch, type ModelSearchParams, type ModelSearchResult, type ModelSearchEntry } from './model-search.js';
export { modelUpload, type ModelUploadParams, type ModelUploadResult, type ModelUploadPhase } from './model-upload.js';
export { training, type TrainingParams, type TrainingResult, type TrainingPhase } from './training.js';
export { accountManagement, type AccountManagementParams, type AccountManagementResult } from './account-management.js';
export { getTaskDetails, type GetTaskDetailsParams, type GetTaskDetailsResult } from './get-task-details.js';
