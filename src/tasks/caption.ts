import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { deliveryMethod, flag, httpUrl, imageInputs, list, mediaInput, model, text } from './fields.js';
import { imageInputOf } from './one-of-inputs.js';
import { fieldResult } from './result-readers.js';

/** Parameters of `caption` for an image: `inputImage` (or `inputImages`, or `inputs.image`). */
const captionSchema = v.strictObject({
  inputImage: v.nullish(mediaInput),
  inputImages: v.nullish(list(mediaInput, 16)),
  model: v.nullish(model),
  // A question or instruction; py-legacy types it as a list of strings too (protocol §4.6).
  prompt: v.nullish(v.union([text, list(text)], 'must be a string or a list of strings')),
  template: v.nullish(text),
  includeCost: v.nullish(flag),
  deliveryMethod,
  webhookURL: v.nullish(httpUrl),
  inputs: imageInputs,
});

/** What `caption` accepts. */
export type CaptionParams = ParamsOf<typeof caption>;

/** A description of the image: `text`, or `structuredData` for models that answer with fields. */
export interface CaptionResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly text?: string;
  readonly structuredData?: Readonly<Record<string, unknown>>;
  readonly cost?: number;
}

/** `caption`: a text describing an image; `imageCaption` is its legacy name. */
export const caption = defineTask({
  name: 'caption',
  aliases: ['imageCaption', 'requestImageToText'],
  taskType: 'caption',
  params: captionSchema,
  delivery: 'push',
  result: fieldResult<CaptionResult>('text', 'structuredData'),
  check: imageInputOf('videoCaption', 'inputImage', 'inputImages', 'inputs.image'),
});
