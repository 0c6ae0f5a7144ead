import type { SimulatorEnv } from '../env.js';
import type { Seed, TaskObject } from '../types.js';
import { contentChecked, contentVerdict } from './content-check.js';
import { DECODABLE_IMAGE, materialise, type ImageInput } from './image-input.js';
import { imageCost } from './image-inference.js';
import { readMediaInput } from './media-input.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { drawingSeed, randomSeed, readSeed } from './seed.js';
import { costOf, definePricedTool, type ImageOutput, priced, type Priced, readDeliveryMethod, readImageOutput } from './tool-task.js';

/** Validated `photoMaker` parameters (protocol §4.12). */
interface PhotoMakerParams extends ImageOutput, Priced {
  readonly inputs: readonly ImageInput[];
  readonly positivePrompt: string;
  readonly style: string;
  readonly width: number;
  readonly height: number;
  readonly numberResults: number;
  readonly seed: Seed | undefined;
  readonly deliveryMethod: 'sync' | 'async';
  /** Whether results say if they are NSFW (`checkNSFW`, `safety`). */
  readonly checkContent: boolean;
}

/** The styles of PhotoMaker (protocol §4.2.2). */
const STYLES = ['No style', 'Cinematic', 'Disney Character', 'Digital Art', 'Photographic', 'Fantasy art', 'Neonpunk', 'Enhance', 'Comic book', 'Lowpoly', 'Line art'] as const;
const SIDE = { min: 128, max: 2048 };

const readImages = (task: TaskObject, env: SimulatorEnv): ImageInput[] => {
  const images = task['inputImages'];
  if (images === undefined || images === null) throw new ParamError({ code: 'missingInputImages', message: 'Missing inputImages parameter: 1 to 4 images, each of one clear face.', parameter: 'inputImages', type: 'array' });
  if (!Array.isArray(images) || images.length < 1 || images.length > 4) {
    throw new ParamError({ code: 'invalidInputImages', message: 'Invalid value for inputImages parameter. It must be an array of 1 to 4 images.', parameter: 'inputImages', type: 'array' });
  }
  return images.map((value: unknown, i) => ({ path: `inputImages[${i}]`, source: readMediaInput(value, `inputImages[${i}]`, DECODABLE_IMAGE, env) }));
};

const parsePhotoMaker = (task: TaskObject, env: SimulatorEnv): PhotoMakerParams => {
  const read = readParams(task, env.options);
  const inputs = readImages(task, env);
  read.model();
  const positivePrompt = read.string('positivePrompt', { min: 1, max: 3000 });
  if (task['negativePrompt'] !== undefined && task['negativePrompt'] !== null) read.string('negativePrompt', { min: 1, max: 3000 });
  // py-legacy sends style and strength as null when unset: absent, as null always is here.
  const style = read.optionalChoice('style', STYLES) ?? 'No style';
  read.optionalInteger('strength', { min: 15, max: 50 });
  const steps = read.optionalInteger('steps', { min: 1, max: 100 });
  read.optionalNumber('CFGScale', { min: 0, max: 50 });
  read.optionalInteger('clipSkip', { min: 0, max: 2 });
  const numberResults = read.optionalInteger('numberResults', { min: 1, max: 20 }) ?? 1;
  const width = read.integer('width', SIDE);
  const height = read.integer('height', SIDE);
  const seed = readSeed(task);
  read.optionalBoolean('checkNSFW');
  const checkContent = contentChecked(task);
  const output = readImageOutput(read, 'JPG');
  const each = imageCost({ width, height, steps });
  return { inputs, positivePrompt, style, width, height, numberResults, seed, ...output, deliveryMethod: readDeliveryMethod(read), checkContent, ...priced(read, each * numberResults) };
};

/**
 * `photoMaker`: `numberResults` images of exactly `width` × `height`, drawn by the image renderer
 * from the prompt, the style and the seed (the faces of `inputImages` are not modelled; the inputs
 * are kept and reported as `inputImagesUUID`). Results as imageInference's:
 * `{ taskType, taskUUID, imageUUID, image<URL|Base64Data|DataURI>, inputImagesUUID, seed, cost? }`.
 */
export const photoMaker = definePricedTool({
  parse: (task, context) => parsePhotoMaker(task, context.env),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    const kept = Promise.all(params.inputs.map((input) => materialise(input, env)));
    // Settled here too, so a failure is handled once per result, not left unhandled.
    kept.catch(() => undefined);
    return {
      deliveryMethod: params.deliveryMethod,
      results: params.numberResults,
      firstSeed: params.seed ?? randomSeed(),
      async produce(_index, seed) {
        const inputImagesUUID = (await kept).map((input) => input.uuid);
        const imageUUID = env.media.imageUUID(params.outputFormat);
        const prompt = params.style === 'No style' ? params.positivePrompt : `${params.positivePrompt}, ${params.style}`;
        const fields = await env.media.image({ prompt, seed: drawingSeed(seed), width: params.width, height: params.height, format: params.outputFormat, quality: params.outputQuality, outputType: params.outputType, uuid: imageUUID });
        return { taskType, taskUUID, imageUUID, ...fields, inputImagesUUID, seed, ...costOf(params, 1 / params.numberResults), ...contentVerdict(params.checkContent) };
      },
    };
  },
});
