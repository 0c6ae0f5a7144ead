import * as v from 'valibot';
import type { DataItem } from '../protocol/frames.js';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, deliveryMethod, fields, integerIn, list, mediaInput, model, oneOf, seed, textOf } from './fields.js';
import { readResults } from './result-readers.js';

/** Parameters of `3dInference`: a 3D model from a prompt or images; polled by default, pushed when sent sync. */
const threeDInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.nullish(textOf(1, 3000)),
  negativePrompt: v.nullish(textOf(1, 3000)),
  seed: v.nullish(seed),
  numberResults: v.nullish(integerIn(1, 4)),
  outputType: v.nullish(oneOf(['URL'])),
  outputFormat: v.nullish(oneOf(['GLB', 'PLY', 'OBJ', 'FBX', 'STL', 'USDZ', '3MF'], true)),
  deliveryMethod,
  ...commonOutputFields,
  inputs: v.nullish(
    fields({ image: v.nullish(mediaInput), images: v.nullish(list(mediaInput)), referenceImages: v.nullish(list(mediaInput)), mask: v.nullish(mediaInput), meshFile: v.nullish(mediaInput) }),
  ),
});

/** What `3dInference` accepts. */
export type ThreeDInferenceParams = ParamsOf<typeof threeDInference>;

/** One 3D model: its files (a GLB, and others per format). */
export interface ThreeDInferenceResult {
  readonly taskType: '3dInference';
  readonly taskUUID: string;
  readonly outputs: { readonly files: readonly { readonly uuid?: string; readonly url: string }[] };
  /** The seed it was made with: a BigInt past 2^53 − 1 (`Number.MAX_SAFE_INTEGER`), where a number is not exact. */
  readonly seed?: number | bigint;
  readonly cost?: number;
  readonly status?: string;
}

/** The first file's UUID identifies a 3D result. */
const firstFile = (item: DataItem): { uuid?: unknown; url?: unknown } | undefined => {
  const files = (item['outputs'] as { files?: unknown } | undefined)?.files;
  return Array.isArray(files) ? (files[0] as { uuid?: unknown; url?: unknown } | undefined) : undefined;
};

const threeDResult = readResults<ThreeDInferenceResult>({
  key: (item) => {
    const file = firstFile(item);
    return typeof file?.uuid === 'string' ? file.uuid : typeof file?.url === 'string' ? file.url : undefined;
  },
  isResult: (item) => firstFile(item) !== undefined,
});

/** `3dInference`: a 3D model (GLB); its method is `threeDInference`, since `runware.3dInference` is not valid. */
export const threeDInference = defineTask({
  name: 'threeDInference',
  aliases: ['inference3d'],
  taskType: '3dInference',
  params: threeDInferenceSchema,
  delivery: 'push',
  defaults: { deliveryMethod: 'async' },
  count: 'numberResults',
  result: threeDResult,
});
