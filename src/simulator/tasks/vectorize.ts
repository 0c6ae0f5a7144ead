import { randomUUID } from 'node:crypto';
import type { SimulatorEnv } from '../env.js';
import type { OutputType } from '../media/media-engine.js';
import { renderImage } from '../media/render-image.js';
import { placeholderSvg, traceImage } from '../media/vector-trace.js';
import type { TaskObject } from '../types.js';
import { DECODABLE_IMAGE, decodingInput, materialise, type ImageInput } from './image-input.js';
import { readMediaInput, valueAt } from './media-input.js';
import { answerOnce } from './one-result.js';
import { keepOutput, readOutputType } from './outputs.js';
import { missingParam, optionalObject, readParams } from './params.js';
import { costOf, definePricedTool, priced, type Priced, readDeliveryMethod } from './tool-task.js';

/** Validated `vectorize` parameters (protocol §4.13). */
interface VectorizeParams extends Priced {
  /** The raster input, or for text-to-vector models (py-legacy, unconfirmed) a prompt and a size. */
  readonly input: ImageInput | { readonly prompt: string; readonly width: number; readonly height: number };
  readonly outputType: OutputType;
  readonly deliveryMethod: 'sync' | 'async';
}

const SVG = { extension: 'svg', mime: 'image/svg+xml' } as const;
const SIDE = { min: 128, max: 2048 };

/** The input: `inputs.image` (the docs' place), or `inputImage` as the other image tools take it. */
const readInput = (task: TaskObject, env: SimulatorEnv): ImageInput | undefined => {
  for (const path of ['inputs.image', 'inputImage']) {
    const value = valueAt(task, path);
    if (value !== undefined && value !== null) return { path, source: readMediaInput(value, path, DECODABLE_IMAGE, env) };
  }
  return undefined;
};

const parseVectorize = (task: TaskObject, env: SimulatorEnv): VectorizeParams => {
  const read = readParams(task, env.options);
  optionalObject(task, 'inputs');
  const image = readInput(task, env);
  read.optionalModel();
  const outputType = readOutputType(read);
  read.optionalChoice('outputFormat', ['SVG'], 'unsupportedOutputFormat');
  const width = read.optionalInteger('width', SIDE);
  const height = read.optionalInteger('height', SIDE);
  const prompt = task['positivePrompt'] === undefined || task['positivePrompt'] === null ? undefined : read.string('positivePrompt', { min: 2, max: 3000 });
  optionalObject(task, 'providerSettings');
  if (image === undefined && prompt === undefined) throw missingParam('inputs.image', 'string');
  const input = image ?? { prompt: prompt!, width: width ?? 1024, height: height ?? 1024 };
  return { input, outputType, deliveryMethod: readDeliveryMethod(read), ...priced(read, 0.01) };
};

/**
 * `vectorize`: the input traced into an SVG (`vector-trace.ts`) that renders at the input's size,
 * `{ taskType, taskUUID, imageUUID, image<URL|Base64Data|DataURI>, cost? }`. With a
 * `positivePrompt` and no image (py-legacy's text-to-vector, unconfirmed) the generated scene of
 * the prompt is traced. Without sharp or imagetracerjs (fast mode), a one-colour SVG.
 */
export const vectorize = definePricedTool({
  parse: (task, context) => parseVectorize(task, context.env),
  answer: answerOnce(async (params: VectorizeParams, { env, taskType, taskUUID }) => {
    const { sharp, traceToSvg } = env.media;
    const { input } = params;
    let inputImageUUID: string | undefined;
    let svg = placeholderSvg();
    if ('source' in input) {
      const material = await materialise(input, env);
      inputImageUUID = material.uuid;
      if (sharp !== undefined && traceToSvg !== undefined) svg = await decodingInput(input, () => traceImage(sharp, traceToSvg, material.bytes));
    } else if (sharp !== undefined && traceToSvg !== undefined) {
      const raster = await renderImage(sharp, { prompt: input.prompt, seed: 1, width: input.width, height: input.height, format: 'PNG' });
      svg = await traceImage(sharp, traceToSvg, raster);
    }
    const imageUUID = randomUUID();
    const fields = keepOutput(env, 'image', imageUUID, svg, SVG, params.outputType);
    return { taskType, taskUUID, imageUUID, ...(inputImageUUID === undefined ? {} : { inputImageUUID }), ...fields, ...costOf(params) };
  }),
});
