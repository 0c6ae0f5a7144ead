import * as v from 'valibot';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { flag, imageInputs, imageOutputFields, integerIn, mediaInput, model, oneOf } from './fields.js';
import { oneOfInputs } from './one-of-inputs.js';
import { outputUUID } from './result-readers.js';

const PREPROCESSORS = ['canny', 'depth', 'mlsd', 'normalbae', 'openpose', 'tile', 'seg', 'lineart', 'lineart_anime', 'shuffle', 'scribble', 'softedge'] as const;

/** Parameters of `controlNetPreprocess`: a guide image made from `inputImage` (or `inputs.image`). */
const controlNetPreprocessSchema = v.strictObject({
  inputImage: v.nullish(mediaInput),
  preProcessorType: v.nullish(oneOf(PREPROCESSORS)),
  model: v.nullish(model),
  width: v.nullish(integerIn(64, 4096)),
  height: v.nullish(integerIn(64, 4096)),
  lowThresholdCanny: v.nullish(integerIn(0, 255)),
  highThresholdCanny: v.nullish(integerIn(0, 255)),
  includeHandsAndFaceOpenPose: v.nullish(flag),
  ...imageOutputFields,
  inputs: imageInputs,
});

/** What `controlNetPreprocess` accepts. */
export type ControlNetPreprocessParams = ParamsOf<typeof controlNetPreprocess>;

/** The guide image (edges, depth, pose...) for a ControlNet. */
export interface ControlNetPreprocessResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly guideImageUUID: string;
  readonly guideImageURL?: string;
  readonly guideImageBase64Data?: string;
  readonly guideImageDataURI?: string;
  readonly inputImageUUID?: string;
  readonly cost?: number;
}

const hasInput = oneOfInputs('inputImage', 'inputs.image');

/** The input is required, and the low Canny threshold must stay below the high one. */
function checkPreprocess(params: Readonly<Record<string, unknown>>): readonly ValidationIssue[] {
  const { lowThresholdCanny: low, highThresholdCanny: high } = params;
  const issues = [...hasInput(params)];
  if (typeof low === 'number' && typeof high === 'number' && low >= high) {
    issues.push({ path: 'lowThresholdCanny', message: `lowThresholdCanny must be below highThresholdCanny (got ${low} and ${high})` });
  }
  return issues;
}

/** `controlNetPreprocess`: a ControlNet guide image; `imageControlNetPreProcess` is its legacy name. */
export const controlNetPreprocess = defineTask({
  name: 'controlNetPreprocess',
  aliases: ['imageControlNetPreProcess', 'controlNetPreProcess'],
  taskType: 'controlNetPreprocess',
  params: controlNetPreprocessSchema,
  delivery: 'push',
  result: outputUUID<ControlNetPreprocessResult>('guideImageUUID'),
  check: checkPreprocess,
});
