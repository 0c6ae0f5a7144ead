import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { count, fields, imageInputs, imageOutputFields, integerIn, mediaInput, model, numberIn } from './fields.js';
import { oneOfInputs } from './one-of-inputs.js';
import { outputUUID } from './result-readers.js';

const detection = {
  confidence: v.nullish(numberIn(0, 1)),
  maxDetections: v.nullish(integerIn(1, 100)),
  maskPadding: v.nullish(integerIn(-4096, 4096)),
  maskBlur: v.nullish(count),
};

/** Parameters of `imageMasking`: what to detect in `inputImage` (or `inputs.image`), and how to pad the mask. */
const imageMaskingSchema = v.strictObject({
  inputImage: v.nullish(mediaInput),
  // Required: the model chooses what is detected (faces, hands, people; protocol §4.10).
  model,
  ...detection,
  ...imageOutputFields,
  settings: v.nullish(fields(detection)),
  inputs: imageInputs,
});

/** What `imageMasking` accepts. */
export type ImageMaskingParams = ParamsOf<typeof imageMasking>;

/** A detection's box, in pixels of the input. */
export interface Detection {
  readonly x_min: number;
  readonly y_min: number;
  readonly x_max: number;
  readonly y_max: number;
}

/** The mask of what was detected, and where. */
export interface ImageMaskingResult {
  readonly taskType: 'imageMasking';
  readonly taskUUID: string;
  readonly maskImageUUID?: string;
  readonly maskImageURL?: string;
  readonly maskImageBase64Data?: string;
  readonly maskImageDataURI?: string;
  /** Some answers name the mask `imageUUID` instead. */
  readonly imageUUID?: string;
  readonly inputImageUUID?: string;
  readonly detections?: readonly Detection[];
  readonly cost?: number;
}

/** `imageMasking`: a mask of the faces, hands, people... a model detects. */
export const imageMasking = defineTask({
  name: 'imageMasking',
  aliases: [],
  taskType: 'imageMasking',
  params: imageMaskingSchema,
  delivery: 'push',
  result: outputUUID<ImageMaskingResult>('maskImageUUID', 'imageUUID'),
  check: oneOfInputs('inputImage', 'inputs.image'),
});
