import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, count, fields, integerIn, list, lora, mediaInput, model, number, numberAbove, numberIn, oneOf, openObject, seed, text, textOf } from './fields.js';
import { outputUUID } from './result-readers.js';

const frameImage = fields({
  inputImage: mediaInput,
  frame: v.nullish(v.union([oneOf(['first', 'last']), count], 'must be "first", "last" or a frame number from 0')),
});

/**
 * Parameters of `videoInference`, in both request styles (media at the top or under `inputs`).
 * Video is always delivered asynchronously (acknowledged, then polled), so `deliveryMethod` can
 * only be `async`. Sizes, durations and frame rates have per-model rules the server checks:
 * sizes go to 3840×2160, portrait is ordinary. `seedVideo` with `strength` is video-to-video.
 */
const videoInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.nullish(textOf(1, 3000)),
  negativePrompt: v.nullish(textOf(1, 3000)),
  duration: v.nullish(numberAbove(0)),
  width: v.nullish(integerIn(128, 4096)),
  height: v.nullish(integerIn(128, 4096)),
  fps: v.nullish(integerIn(1, 120)),
  steps: v.nullish(integerIn(1, 100)),
  CFGScale: v.nullish(numberIn(0, 50)),
  seed: v.nullish(seed),
  numberResults: v.nullish(integerIn(1, 4)),
  outputType: v.nullish(oneOf(['URL'])),
  outputFormat: v.nullish(oneOf(['MP4', 'WEBM', 'MOV'], true)),
  deliveryMethod: v.nullish(oneOf(['async'])),
  seedVideo: v.nullish(mediaInput),
  strength: v.nullish(numberIn(0, 1)),
  frameImages: v.nullish(list(frameImage)),
  referenceImages: v.nullish(list(v.union([mediaInput, openObject], 'must be an image input or an object describing one'))),
  referenceVideos: v.nullish(list(mediaInput)),
  inputAudios: v.nullish(list(mediaInput)),
  // Text to speech for lip-sync models: voice and text (docs), and py-legacy's speed, pitch, volume, language (protocol §4.3).
  speech: v.nullish(fields({ voice: v.nullish(text), text: textOf(1, 1000), speed: v.nullish(number), pitch: v.nullish(number), volume: v.nullish(number), language: v.nullish(text) })),
  lora: v.nullish(list(lora)),
  ...commonOutputFields,
});

/** What `videoInference` accepts. */
export type VideoInferenceParams = ParamsOf<typeof videoInference>;

/**
 * One generated video, by `videoUUID` and `videoURL`; some operations answer with `mediaUUID` and
 * `mediaURL` instead (protocol §4.3, py-legacy), so each pair is optional and one is present.
 */
export interface VideoInferenceResult {
  readonly taskType: 'videoInference';
  readonly taskUUID: string;
  readonly status?: string;
  readonly videoUUID?: string;
  readonly videoURL?: string;
  readonly mediaUUID?: string;
  readonly mediaURL?: string;
  /** The seed it was made with: a BigInt past 2^53 − 1 (`Number.MAX_SAFE_INTEGER`), where a number is not exact. */
  readonly seed?: number | bigint;
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
