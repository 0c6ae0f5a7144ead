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
  negativePrompt: v.optional(textOf(1, 3000)),
  style: v.optional(text),
  strength: v.optional(integerIn(15, 50)),
  steps: v.optional(integerIn(1, 100)),
  scheduler: v.optional(text),
  seed: v.optional(seed),
  CFGScale: v.optional(numberIn(0, 50)),
  clipSkip: v.optional(integerIn(0, 2)),
  numberResults: v.optional(integerIn(1, 20)),
  width: v.optional(integerIn(64, 4096)),
  height: v.optional(integerIn(64, 4096)),
  checkNSFW: v.optional(flag),
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
  readonly seed?: number;
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
