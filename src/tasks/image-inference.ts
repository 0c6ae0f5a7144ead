import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, count, deliveryMethod, fields, flag, integerIn, list, lora, mediaInput, model, numberIn, oneOf, openObject, seed, text, textOf } from './fields.js';
import { outputUUID } from './result-readers.js';

const freeList = list(openObject);

/*
 * The feature objects of protocol §4.2.2: their documented fields checked, the rest (a model's
 * own) passed through with a warning like any unknown field. Step bounds depend on `steps` and
 * the model, so only their kind is checked here; the server checks the rest.
 */

/** An embedding (textual inversion) applied to a generation, shaped as a LoRA. */
const embedding = fields({ model, weight: v.nullish(numberIn(-4, 4)) });

/** A ControlNet guide: its model and guide image are required. */
const controlNet = fields({
  model,
  guideImage: mediaInput,
  weight: v.nullish(numberIn(0, 1)),
  startStep: v.nullish(count),
  startStepPercentage: v.nullish(integerIn(0, 99)),
  endStep: v.nullish(count),
  endStepPercentage: v.nullish(integerIn(1, 100)),
  controlMode: v.nullish(oneOf(['prompt', 'controlnet', 'balanced'])),
});

/** An IP-Adapter: its model, and a guide image (or several, as the current schema names them). */
const ipAdapter = fields({
  model,
  guideImage: v.nullish(mediaInput),
  guideImages: v.nullish(list(mediaInput)),
  weight: v.nullish(numberIn(0, 1)),
  weightType: v.nullish(text),
  weightComposition: v.nullish(v.number('must be a number')),
  embedScaling: v.nullish(text),
  combineMethod: v.nullish(text),
});

/** A refiner model that takes over the last steps. */
const refiner = fields({ model, startStep: v.nullish(count), startStepPercentage: v.nullish(integerIn(1, 99)) });

/**
 * Parameters of `imageInference` (text-to-image, image-to-image, inpainting, outpainting), in
 * both request styles: media fields at the top (`seedImage`) or under `inputs` (`inputs.seedImage`).
 * Model-specific options go in `settings`, `providerSettings` or the feature objects, which the
 * server checks per model.
 */
const imageInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.nullish(textOf(1, 3000)),
  negativePrompt: v.nullish(textOf(1, 3000)),
  width: v.nullish(integerIn(64, 4096)),
  height: v.nullish(integerIn(64, 4096)),
  resolution: v.nullish(text),
  steps: v.nullish(integerIn(1, 100)),
  scheduler: v.nullish(text),
  seed: v.nullish(seed),
  CFGScale: v.nullish(numberIn(0, 50)),
  clipSkip: v.nullish(integerIn(0, 2)),
  strength: v.nullish(numberIn(0, 1)),
  numberResults: v.nullish(integerIn(1, 20)),
  outputType: v.nullish(v.union([oneOf(['URL', 'base64Data', 'dataURI']), list(oneOf(['URL', 'base64Data', 'dataURI']), 3)], 'must be URL, base64Data or dataURI, or a list of them')),
  outputFormat: v.nullish(oneOf(['JPG', 'PNG', 'WEBP'], true)),
  deliveryMethod,
  checkNSFW: v.nullish(flag),
  seedImage: v.nullish(mediaInput),
  maskImage: v.nullish(mediaInput),
  maskMargin: v.nullish(integerIn(32, 128)),
  referenceImages: v.nullish(list(v.union([mediaInput, openObject], 'must be an image input or an object describing one'))),
  outpaint: v.nullish(
    fields({
      top: v.nullish(count),
      right: v.nullish(count),
      bottom: v.nullish(count),
      left: v.nullish(count),
      blur: v.nullish(integerIn(0, 32)),
    }),
  ),
  vae: v.nullish(text),
  promptWeighting: v.nullish(oneOf(['compel', 'sdEmbeds'])),
  lora: v.nullish(list(lora)),
  lycoris: v.nullish(freeList),
  embeddings: v.nullish(list(embedding)),
  controlNet: v.nullish(list(controlNet)),
  ipAdapters: v.nullish(list(ipAdapter)),
  refiner: v.nullish(refiner),
  puLID: v.nullish(openObject),
  pulid: v.nullish(openObject),
  acePlusPlus: v.nullish(openObject),
  photoMaker: v.nullish(openObject),
  instantID: v.nullish(openObject),
  hiresFix: v.nullish(v.union([flag, openObject], 'must be true, false or an object')),
  ultralytics: v.nullish(openObject),
  layerDiffuse: v.nullish(flag),
  trueCFGScale: v.nullish(numberIn(0, 50)),
  upscaleFactor: v.nullish(numberIn(1, 8)),
  watermark: v.nullish(openObject),
  useCache: v.nullish(flag),
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
  /** The seed it was made with: a BigInt past 2^53 − 1 (`Number.MAX_SAFE_INTEGER`), where a number is not exact. */
  readonly seed?: number | bigint;
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
