import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { outputUUID } from './result-readers.js';
import { commonOutputFields, integerIn, lora, mediaInput, model, numberIn, openObject, seed, textOf } from './shared-fields.js';

const looseList = v.array(v.looseObject({}));

/**
 * Parameters of `imageInference` (text-to-image, image-to-image, inpainting, outpainting).
 * Typos are errors: unknown top-level fields are refused; model-specific options go in
 * `settings`, `providerSettings`, `inputs` or the feature objects.
 */
const imageInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.optional(textOf(2, 3000)),
  negativePrompt: v.optional(textOf(2, 3000)),
  width: v.optional(integerIn(128, 2048)),
  height: v.optional(integerIn(128, 2048)),
  resolution: v.optional(v.string()),
  steps: v.optional(integerIn(1, 100)),
  scheduler: v.optional(v.string()),
  seed: v.optional(seed),
  CFGScale: v.optional(numberIn(0, 50)),
  clipSkip: v.optional(integerIn(0, 2)),
  strength: v.optional(numberIn(0, 1)),
  numberResults: v.optional(integerIn(1, 20)),
  outputType: v.optional(v.picklist(['URL', 'base64Data', 'dataURI'])),
  outputFormat: v.optional(v.picklist(['JPG', 'PNG', 'WEBP', 'jpg', 'png', 'webp'])),
  deliveryMethod: v.optional(v.picklist(['sync', 'async'])),
  checkNSFW: v.optional(v.boolean()),
  seedImage: v.optional(mediaInput),
  maskImage: v.optional(mediaInput),
  maskMargin: v.optional(integerIn(32, 128)),
  referenceImages: v.optional(v.array(v.union([mediaInput, v.looseObject({})]))),
  outpaint: v.optional(
    v.looseObject({
      top: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      right: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      bottom: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      left: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      blur: v.optional(integerIn(0, 32)),
    }),
  ),
  vae: v.optional(v.string()),
  promptWeighting: v.optional(v.picklist(['compel', 'sdEmbeds'])),
  lora: v.optional(v.array(lora)),
  lycoris: v.optional(looseList),
  embeddings: v.optional(looseList),
  controlNet: v.optional(looseList),
  ipAdapters: v.optional(looseList),
  refiner: v.optional(openObject),
  puLID: v.optional(openObject),
  pulid: v.optional(openObject),
  acePlusPlus: v.optional(openObject),
  photoMaker: v.optional(openObject),
  instantID: v.optional(openObject),
  hiresFix: v.optional(v.union([v.boolean(), openObject])),
  ultralytics: v.optional(openObject),
  layerDiffuse: v.optional(v.boolean()),
  trueCFGScale: v.optional(v.number()),
  upscaleFactor: v.optional(v.number()),
  watermark: v.optional(openObject),
  useCache: v.optional(v.boolean()),
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
