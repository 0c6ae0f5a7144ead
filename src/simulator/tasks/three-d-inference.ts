import { randomUUID } from 'node:crypto';
import { cutString } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { encodeGlb, lumpySphere } from '../media/glb.js';
import type { Seed, TaskObject } from '../types.js';
import { IMAGE, checkFields, type MediaFields } from './inference-inputs.js';
import { missingParam, optionalObject, readParams } from './params.js';
import { drawingSeed, randomSeed, readSeed } from './seed.js';
import { costOf, definePricedTool, priced, type Priced } from './tool-task.js';

/** Validated `3dInference` parameters (protocol §4.21, §10.2). */
interface ThreeDParams extends Priced {
  /** What the shape is drawn from: the prompt, or the input image's reference. */
  readonly subject: string;
  readonly numberResults: number;
  readonly seed: Seed | undefined;
  readonly deliveryMethod: 'sync' | 'async';
}

const INPUTS: MediaFields = { single: [['image', IMAGE], ['mask', IMAGE], ['meshFile', { describe: 'a 3D model file' }]], lists: [['images', IMAGE], ['referenceImages', IMAGE]], objects: [] };
const GLB = { extension: 'glb', mime: 'model/gltf-binary' } as const;
const PRICE = 0.05;

const parseThreeD = (task: TaskObject, env: SimulatorEnv): ThreeDParams => {
  const read = readParams(task, env.options);
  read.model();
  const prompt = task['positivePrompt'] === undefined || task['positivePrompt'] === null ? undefined : read.string('positivePrompt', { min: 1, max: 3000 });
  if (task['negativePrompt'] !== undefined && task['negativePrompt'] !== null) read.string('negativePrompt', { min: 1, max: 3000 });
  const inputs = optionalObject(task, 'inputs');
  if (inputs !== undefined) checkFields(inputs, 'inputs.', INPUTS, env);
  const images: unknown = inputs?.['images'];
  const image: unknown = inputs?.['image'] ?? (Array.isArray(images) ? (images as unknown[])[0] : undefined);
  // Text to 3D needs a prompt; image to 3D an image.
  if (prompt === undefined && typeof image !== 'string') throw missingParam('positivePrompt', 'string');
  const numberResults = read.optionalInteger('numberResults', { min: 1, max: 4 }) ?? 1;
  const seed = readSeed(task);
  read.optionalChoice('outputType', ['URL'], 'unsupportedOutputType');
  // py-legacy lists PLY, OBJ, FBX, STL, USDZ, 3MF too; the simulator writes GLB only, and says so.
  read.optionalChoice('outputFormat', ['GLB'], 'unsupportedOutputFormat');
  optionalObject(task, 'settings');
  // Async by default (protocol §4.21); sync is allowed too (§10.2).
  const deliveryMethod = read.optionalChoice('deliveryMethod', ['sync', 'async']) ?? 'async';
  return { subject: prompt ?? cutString(String(image), 256), numberResults, seed, deliveryMethod, ...priced(read, PRICE * numberResults) };
};

/**
 * `3dInference`: `numberResults` GLB models (glTF 2.0 binary, `media/glb.ts`) of a lumpy sphere
 * drawn from the prompt (or the input image's reference) and seed, as
 * `{ taskType, taskUUID, outputs: { files: [{ uuid, url }] }, seed, cost? }`. Async by default
 * (an ack, then getResponse), sync when asked. The same GLB in fast mode: it costs microseconds.
 */
export const threeDInference = definePricedTool({
  parse: (task, context) => parseThreeD(task, context.env),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: params.deliveryMethod,
      results: params.numberResults,
      firstSeed: params.seed ?? randomSeed(),
      produce(_index, seed) {
        const uuid = randomUUID();
        const bytes = encodeGlb(lumpySphere(params.subject, drawingSeed(seed)), cutString(params.subject, 64));
        const url = env.media.library.keep(uuid, { bytes, mime: GLB.mime }, GLB.extension);
        return { taskType, taskUUID, outputs: { files: [{ uuid, url }] }, seed, ...costOf(params, 1 / params.numberResults) };
      },
    };
  },
});
