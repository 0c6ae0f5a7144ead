import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, fields, integerIn, mediaInput, model, numberAbove, oneOf } from './fields.js';
import { oneOfInputs } from './one-of-inputs.js';
import { outputUUID } from './result-readers.js';

/** Parameters of `upscale` for an image: `inputImage` (or `inputs.image`) and `upscaleFactor`. */
const upscaleSchema = v.strictObject({
  inputImage: v.optional(mediaInput),
  model: v.optional(model),
  upscaleFactor: v.optional(integerIn(1, 8)),
  targetMegapixels: v.optional(numberAbove(0)),
  outputType: v.optional(oneOf(['URL', 'base64Data', 'dataURI'])),
  outputFormat: v.optional(oneOf(['JPG', 'PNG', 'WEBP'], true)),
  deliveryMethod: v.optional(oneOf(['sync', 'async'])),
  ...commonOutputFields,
  inputs: v.optional(fields({ image: v.optional(mediaInput) })),
});

/** What `upscale` accepts. */
export type UpscaleParams = ParamsOf<typeof upscale>;

/** An upscaled image; schema-style requests may be answered with `mediaUUID`/`mediaURL` instead. */
export interface UpscaleResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly imageUUID?: string;
  readonly imageURL?: string;
  readonly imageBase64Data?: string;
  readonly imageDataURI?: string;
  readonly mediaUUID?: string;
  readonly mediaURL?: string;
  readonly inputImageUUID?: string;
  readonly cost?: number;
}

/** `upscale`: an image made larger, by `upscaleFactor`; `imageUpscale` is its legacy name. */
export const upscale = defineTask({
  name: 'upscale',
  aliases: ['imageUpscale', 'upscaleGan'],
  taskType: 'upscale',
  params: upscaleSchema,
  delivery: 'push',
  result: outputUUID<UpscaleResult>('imageUUID', 'mediaUUID'),
  check: oneOfInputs('inputImage', 'inputs.image'),
});
