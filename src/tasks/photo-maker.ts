import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { flag, imageOutputFields, integerIn, list, mediaInput, model, numberIn, seed, text, textOf } from './fields.js';
import { outputUUID } from './result-readers.js';

/** Parameters of `photoMaker`: images of one person in the style and scene of a prompt. */
const photoMakerSchema = v.strictObject({
  model,
  inputImages: v.pipe(list(mediaInput, 4), v.minLength(1, 'must be a list of 1 to 4 images')),
  positivePrompt: textOf(1, 3000),
  negativePrompt: v.nullish(textOf(1, 3000)),
  style: v.nullish(text),
  strength: v.nullish(integerIn(15, 50)),
  steps: v.nullish(integerIn(1, 100)),
  scheduler: v.nullish(text),
  seed: v.nullish(seed),
  CFGScale: v.nullish(numberIn(0, 50)),
  clipSkip: v.nullish(integerIn(0, 2)),
  numberResults: v.nullish(integerIn(1, 20)),
  // Required, 128 to 2048 (protocol §4.12; js-legacy's types require them too).
  width: integerIn(128, 2048),
  height: integerIn(128, 2048),
  checkNSFW: v.nullish(flag),
  ...imageOutputFields,
});

/** What `photoMaker` accepts. */
export type PhotoMakerParams = ParamsOf<typeof photoMaker>;

/** One generated image of the person. */
export interface PhotoMakerResult {
  readonly taskType: 'photoMaker';
  readonly taskUUID: string;
  readonly imageUUID: string;
  readonly imageURL?: string;
  readonly imageBase64Data?: string;
  readonly imageDataURI?: string;
  readonly inputImagesUUID?: readonly string[];
  /** The seed it was made with: a BigInt past 2^53 − 1 (`Number.MAX_SAFE_INTEGER`), where a number is not exact. */
  readonly seed?: number | bigint;
  readonly cost?: number;
  readonly NSFWContent?: boolean;
}

/** `photoMaker`: images of the person in `inputImages`, as the prompt describes. */
export const photoMaker = defineTask({
  name: 'photoMaker',
  aliases: [],
  taskType: 'photoMaker',
  params: photoMakerSchema,
  delivery: 'push',
  count: 'numberResults',
  result: outputUUID<PhotoMakerResult>('imageUUID'),
});
