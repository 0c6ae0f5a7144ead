import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, deliveryMethod, imageInputs, integerIn, mediaInput, model, oneOf, outputType, textOf } from './fields.js';
import { oneOfInputs } from './one-of-inputs.js';
import { outputUUID } from './result-readers.js';

/**
 * Parameters of `vectorize`: a raster image (`inputs.image`, or `inputImage`) traced to SVG, or,
 * for text-to-vector models, a `positivePrompt` (with `width`/`height`) and no image: py-legacy
 * sends that form, unconfirmed (protocol §4.13), so the server decides.
 */
const vectorizeSchema = v.strictObject({
  inputImage: v.nullish(mediaInput),
  model: v.nullish(model),
  outputType,
  outputFormat: v.nullish(oneOf(['SVG'], true)),
  width: v.nullish(integerIn(64, 4096)),
  height: v.nullish(integerIn(64, 4096)),
  positivePrompt: v.nullish(textOf(1, 3000)),
  deliveryMethod,
  ...commonOutputFields,
  inputs: imageInputs,
});

/** What `vectorize` accepts. */
export type VectorizeParams = ParamsOf<typeof vectorize>;

/** The traced image, an SVG. */
export interface VectorizeResult {
  readonly taskType: 'vectorize';
  readonly taskUUID: string;
  readonly imageUUID: string;
  readonly imageURL?: string;
  readonly imageBase64Data?: string;
  readonly imageDataURI?: string;
  readonly cost?: number;
}

/** `vectorize`: a raster image traced to SVG (or a prompt drawn as one). */
export const vectorize = defineTask({
  name: 'vectorize',
  aliases: ['imageVectorize'],
  taskType: 'vectorize',
  params: vectorizeSchema,
  delivery: 'push',
  result: outputUUID<VectorizeResult>('imageUUID'),
  check: oneOfInputs('inputs.image', 'inputImage', 'positivePrompt'),
});
