import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { mediaInput, oneOf } from './fields.js';
import { outputUUID } from './result-readers.js';

/** Parameters of `mediaStorage`: `upload` a `media` input (any kind), or `delete` one by its UUID. */
const mediaStorageSchema = v.strictObject({
  operation: v.nullish(oneOf(['upload', 'delete'])),
  media: mediaInput,
});

/** What `mediaStorage` accepts. */
export type MediaStorageParams = ParamsOf<typeof mediaStorage>;

/** The stored (or deleted) media: its UUID serves as a media input of later tasks. */
export interface MediaStorageResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly operation?: 'upload' | 'delete';
  readonly mediaUUID: string;
  readonly mediaURL?: string;
}

/**
 * `mediaStorage`: stores media (image, video, audio, 3D) for later tasks, or deletes it;
 * `uploadMedia` is its legacy name. The client also uses it to upload large inputs first.
 */
export const mediaStorage = defineTask({
  name: 'mediaStorage',
  aliases: ['uploadMedia'],
  taskType: 'mediaStorage',
  params: mediaStorageSchema,
  delivery: 'push',
  defaults: { operation: 'upload' },
  result: outputUUID<MediaStorageResult>('mediaUUID'),
  storesMedia: { field: 'media', uuid: 'mediaUUID', defaults: { operation: 'upload' } },
  inlineMedia: true,
});
