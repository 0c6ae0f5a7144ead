import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { imageInputs, imageOutputFields, integerIn, mediaInput, model, numberAbove } from './fields.js';
import type { ImageToolResult } from './image-tool-result.js';
import { imageInputOf } from './one-of-inputs.js';
import { outputUUID } from './result-readers.js';

/** Parameters of `upscale` for an image: `inputImage` (or `inputs.image`) and `upscaleFactor`. */
const upscaleSchema = v.strictObject({
  inputImage: v.nullish(mediaInput),
  model: v.nullish(model),
  upscaleFactor: v.nullish(integerIn(1, 8)),
  targetMegapixels: v.nullish(numberAbove(0)),
  ...imageOutputFields,
  inputs: imageInputs,
});

/** What `upscale` accepts. */
export type UpscaleParams = ParamsOf<typeof upscale>;

/** An upscaled image. */
export type UpscaleResult = ImageToolResult;

/** `upscale`: an image made larger, by `upscaleFactor`; `imageUpscale` is its legacy name. */
export const upscale = defineTask({
  name: 'upscale',
  aliases: ['imageUpscale', 'upscaleGan'],
  taskType: 'upscale',
  params: upscaleSchema,
  delivery: 'push',
  result: outputUUID<UpscaleResult>('imageUUID', 'mediaUUID'),
  check: imageInputOf('videoUpscale', 'inputImage', 'inputs.image'),
});
