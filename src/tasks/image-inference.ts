import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, count, deliveryMethod, fields, flag, integerIn, list, lora, mediaInput, model, numberIn, oneOf, openObject, seed, text, textOf } from './fields.js';
import { outputUUID } from './result-readers.js';

const freeList = list(openObject);

/**
 * Parameters of `imageInference` (text-to-image, image-to-image, inpainting, outpainting), in
 * both request styles: media fields at the top (`seedImage`) or under `inputs` (`inputs.seedImage`).
 * Model-specific options go in `settings`, `providerSettings` or the feature objects, which the
 * server checks per model.
 */
const imageInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.optional(textOf(1, 3000)),
  negativePrompt: v.optional(textOf(1, 3000)),
  width: v.optional(integerIn(64, 4096)),
  height: v.optional(integerIn(64, 4096)),
  resolution: v.optional(text),
  steps: v.optional(integerIn(1, 100)),
  scheduler: v.optional(text),
  seed: v.optional(seed),
  CFGScale: v.optional(numberIn(0, 50)),
  clipSkip: v.optional(integerIn(0, 2)),
  strength: v.optional(numberIn(0, 1)),
  numberResults: v.optional(integerIn(1, 20)),
  outputType: v.optional(v.union([oneOf(['URL', 'base64Data', 'dataURI']), list(oneOf(['URL', 'base64Data', 'dataURI']), 3)], 'must be URL, base64Data or dataURI, or a list of them')),
  outputFormat: v.optional(oneOf(['JPG', 'PNG', 'WEBP'], true)),
  deliveryMethod,
  checkNSFW: v.optional(flag),
  seedImage: v.optional(mediaInput),
  maskImage: v.optional(mediaInput),
  maskMargin: v.optional(integerIn(32, 128)),
  referenceImages: v.optional(list(v.union([mediaInput, openObject], 'must be an image input or an object describing one'))),
  outpaint: v.optional(
    fields({
      top: v.optional(count),
      right: v.optional(count),
      bottom: v.optional(count),
      left: v.optional(count),
      blur: v.optional(integerIn(0, 32)),
    }),
  ),
  vae: v.optional(text),
  promptWeighting: v.optional(oneOf(['compel', 'sdEmbeds'])),
  lora: v.optional(list(lora)),
  lycoris: v.optional(freeList),
  embeddings: v.optional(freeList),
  controlNet: v.optional(freeList),
  ipAdapters: v.optional(freeList),
  refiner: v.optional(openObject),
  puLID: v.optional(openObject),
  pulid: v.optional(openObject),
  acePlusPlus: v.optional(openObject),
  photoMaker: v.optional(openObject),
  instantID: v.optional(openObject),
  hiresFix: v.optional(v.union([flag, openObject], 'must be true, false or an object')),
  ultralytics: v.optional(openObject),
  layerDiffuse: v.optional(flag),
  trueCFGScale: v.optional(numberIn(0, 50)),
  upscaleFactor: v.optional(numberIn(1, 8)),
  watermark: v.optional(openObject),
  useCache: v.optional(flag),
  ...commonOutputFields,
});

/** What `imageInference` accepts. */
export type ImageInferenceParams = ParamsOf<typeof imageInference>;

/** One generated image; which of URL, base64 or data URI is set follows `outputType`. */
export interface ImageInferenceResult {
  readonly taskType: 'imageInference';
  readonly taskUUID: string;
  readonly imageUUID: string;
  readonly imageURL?: string;
  readonly imageBase64Data?: string;
  readonly imageDataURI?: string;
  readonly seed?: number;
  readonly cost?: number;
  readonly NSFWContent?: boolean;
  /** `success` on items that were polled (`deliveryMethod: "async"`). */
  readonly status?: string;
}

/** `imageInference`: text-to-image and image-to-image; pushed as each image is ready, or polled when sent async. */
export const imageInference = defineTask({
  name: 'imageInference',
  aliases: ['image', 'requestImages'],
  taskType: 'imageInference',
  params: imageInferenceSchema,
  delivery: 'push',
  count: 'numberResults',
  result: outputUUID<ImageInferenceResult>('imageUUID'),
});
