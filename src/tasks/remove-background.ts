import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { fields, flag, imageInputs, imageOutputFields, integerIn, list, mediaInput, model, numberIn } from './fields.js';
import type { ImageToolResult } from './image-tool-result.js';
import { imageInputOf } from './one-of-inputs.js';
import { outputUUID } from './result-readers.js';

/** How the cut-out is made (models differ in which they honour). */
const backgroundSettings = {
  rgba: v.nullish(v.pipe(list(numberIn(0, 255), 4), v.length(4, 'must be a list of 4 numbers [r, g, b, alpha]'))),
  postProcessMask: v.nullish(flag),
  returnOnlyMask: v.nullish(flag),
  alphaMatting: v.nullish(flag),
  alphaMattingForegroundThreshold: v.nullish(integerIn(1, 255)),
  alphaMattingBackgroundThreshold: v.nullish(integerIn(1, 255)),
  alphaMattingErodeSize: v.nullish(integerIn(1, 255)),
};

/**
 * Parameters of `removeBackground` for an image: `inputImage` (or `inputs.image`). Its settings go
 * under `settings`, or, as the legacy Python SDK sends them, at the top.
 */
const removeBackgroundSchema = v.strictObject({
  inputImage: v.nullish(mediaInput),
  model: v.nullish(model),
  ...backgroundSettings,
  ...imageOutputFields,
  settings: v.nullish(fields(backgroundSettings)),
  inputs: imageInputs,
});

/** What `removeBackground` accepts. */
export type RemoveBackgroundParams = ParamsOf<typeof removeBackground>;

/** An image with its background removed (a PNG with transparency by default). */
export type RemoveBackgroundResult = ImageToolResult;

/** `removeBackground`: the subject of an image cut out; `imageBackgroundRemoval` is its legacy name. */
export const removeBackground = defineTask({
  name: 'removeBackground',
  aliases: ['imageBackgroundRemoval', 'removeImageBackground'],
  taskType: 'removeBackground',
  params: removeBackgroundSchema,
  delivery: 'push',
  result: outputUUID<RemoveBackgroundResult>('imageUUID', 'mediaUUID'),
  check: imageInputOf('videoBackgroundRemoval', 'inputImage', 'inputs.image'),
});
