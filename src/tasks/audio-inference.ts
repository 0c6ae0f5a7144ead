import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, deliveryMethod, fields, integerIn, model, numberAbove, oneOf, openObject, outputType, seed, textOf } from './fields.js';
import { outputUUID } from './result-readers.js';

/** Parameters of `audioInference`: music, sound effects and speech, pushed (sync) or polled (async). */
const audioInferenceSchema = v.strictObject({
  model,
  positivePrompt: v.nullish(textOf(1, 3000)),
  negativePrompt: v.nullish(textOf(1, 3000)),
  duration: v.nullish(numberAbove(0)),
  numberResults: v.nullish(integerIn(1, 8)),
  seed: v.nullish(seed),
  outputType,
  // The docs' MP3, ts-new's WAV, FLAC and OGG, and py-legacy's PCM, OPUS and AAC (protocol §9 #21).
  outputFormat: v.nullish(oneOf(['MP3', 'WAV', 'FLAC', 'OGG', 'PCM', 'OPUS', 'AAC'], true)),
  deliveryMethod,
  audioSettings: v.nullish(fields({ sampleRate: v.nullish(integerIn(8000, 192_000)), bitrate: v.nullish(integerIn(8, 640)), channels: v.nullish(integerIn(1, 2)) })),
  speech: v.nullish(openObject),
  ...commonOutputFields,
});

/** What `audioInference` accepts. */
export type AudioInferenceParams = ParamsOf<typeof audioInference>;

/** One generated audio file (for audio made for a video, the video's fields too). */
export interface AudioInferenceResult {
  readonly taskType: 'audioInference';
  readonly taskUUID: string;
  readonly audioUUID?: string;
  readonly audioURL?: string;
  readonly audioBase64Data?: string;
  readonly audioDataURI?: string;
  readonly videoUUID?: string;
  readonly videoURL?: string;
  /** The seed it was made with: a BigInt past 2^53 − 1 (`Number.MAX_SAFE_INTEGER`), where a number is not exact. */
  readonly seed?: number | bigint;
  readonly cost?: number;
  readonly status?: string;
}

/** `audioInference`: music, sound and speech; pushed as each is ready, or polled when sent async. */
export const audioInference = defineTask({
  name: 'audioInference',
  aliases: ['audio'],
  taskType: 'audioInference',
  params: audioInferenceSchema,
  delivery: 'push',
  count: 'numberResults',
  result: outputUUID<AudioInferenceResult>('audioUUID', 'videoUUID'),
});
