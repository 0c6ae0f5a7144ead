import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { outputUUID } from './result-readers.js';
import { commonOutputFields, integerIn, lora, mediaInput, model, numberIn, seed, textOf } from './shared-fields.js';

const frameImage = v.looseObject({
  inputImage: mediaInput,
  frame: v.optional(v.union([v.picklist(['first', 'last']), v.pipe(v.number(), v.integer(), v.minValue(0))])),
});

/**
 * Parameters of `videoInference`. Video is always delivered asynchronously (acknowledged, then
 * polled), so `deliveryMethod` can only be `async`. `duration` is checked per model by the server.
 */
const videoInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.optional(textOf(2, 3000)),
  negativePrompt: v.optional(textOf(2, 3000)),
  duration: v.optional(v.pipe(v.number(), v.gtValue(0))),
  width: v.optional(integerIn(256, 1920)),
  height: v.optional(integerIn(256, 1080)),
  fps: v.optional(integerIn(15, 60)),
  steps: v.optional(integerIn(10, 50)),
  CFGScale: v.optional(numberIn(0, 50)),
  seed: v.optional(seed),
  numberResults: v.optional(integerIn(1, 4)),
  outputType: v.optional(v.literal('URL')),
  outputFormat: v.optional(v.picklist(['MP4', 'WEBM', 'MOV', 'mp4', 'webm', 'mov'])),
  deliveryMethod: v.optional(v.literal('async')),
  frameImages: v.optional(v.array(frameImage)),
  referenceImages: v.optional(v.array(v.union([mediaInput, v.looseObject({})]))),
  referenceVideos: v.optional(v.array(mediaInput)),
  inputAudios: v.optional(v.array(mediaInput)),
  speech: v.optional(v.looseObject({ voice: v.optional(v.string()), text: textOf(1, 200) })),
  lora: v.optional(v.array(lora)),
  ...commonOutputFields,
});

/** What `videoInference` accepts. */
export type VideoInferenceParams = ParamsOf<typeof videoInference>;

/** One generated video. */
export interface VideoInferenceResult {
  readonly taskType: 'videoInference';
  readonly taskUUID: string;
  readonly status?: string;
  readonly videoUUID: string;
  readonly videoURL?: string;
  readonly seed?: number;
  readonly cost?: number;
  readonly NSFWContent?: boolean;
}

/** `videoInference`: acknowledged at once, then polled with `getResponse`. */
export const videoInference = defineTask({
  name: 'videoInference',
  aliases: ['video'],
  taskType: 'videoInference',
  params: videoInferenceSchema,
  delivery: 'poll',
  defaults: { deliveryMethod: 'async' },
  count: 'numberResults',
  result: outputUUID<VideoInferenceResult>('videoUUID', 'mediaUUID'),
});
