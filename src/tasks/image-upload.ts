import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { mediaInput } from './fields.js';
import { outputUUID } from './result-readers.js';

/** Parameters of `imageUpload`: the `image` (a URL, a data URI, base64, or bytes). */
const imageUploadSchema = v.strictObject({
  image: mediaInput,
});

/** What `imageUpload` accepts. */
export type ImageUploadParams = ParamsOf<typeof imageUpload>;

/** The stored image: its UUID serves as an image input of later tasks. */
export interface ImageUploadResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly imageUUID: string;
  readonly imageURL?: string;
}

/** `imageUpload`: stores an image for later tasks (superseded by `mediaStorage`); `uploadImage` is its legacy name. */
export const imageUpload = defineTask({
  name: 'imageUpload',
  aliases: ['uploadImage'],
  taskType: 'imageUpload',
  params: imageUploadSchema,
  delivery: 'push',
  result: outputUUID<ImageUploadResult>('imageUUID'),
  inlineMedia: true,
});
