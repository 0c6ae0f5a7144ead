import { randomUUID } from 'node:crypto';
import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { UPLOADABLE_IMAGES } from '../media/sniff.js';
import type { TaskObject } from '../types.js';
import { bytesOf } from './image-input.js';
import { readMediaInput, type MediaRule, type MediaSource } from './media-input.js';
import { answerOnce } from './one-result.js';
import { ParamError } from './param-error.js';
import { readParams } from './params.js';
import { defineFreeTool, readDeliveryMethod } from './tool-task.js';

/**
 * The upload tasks: `imageUpload` (deprecated, still sent by every official SDK) and
 * `mediaStorage` (upload or delete). Uploads are kept byte for byte (the API stores images
 * downscaled to 2048 px; the simulator does not, so a test can compare what it gets back) and are
 * served by URL; their UUID works as the input of any later task until deleted or evicted (the
 * media store keeps 200 MB, least recently used out first).
 */

const UPLOADABLE_IMAGE: MediaRule = { formats: UPLOADABLE_IMAGES, describe: 'a PNG, JPEG, WEBP, GIF, BMP, TIFF or AVIF image' };
const ANY_MEDIA: MediaRule = { describe: 'media of any kind' };

const missingField = (name: string) =>
  new ParamError({ code: `missing${name.charAt(0).toUpperCase()}${name.slice(1)}`, message: `Missing ${name} parameter.`, parameter: name, type: 'string' });

/** Keeps an upload's bytes under a new UUID and returns the UUID and the URL. */
const keepUpload = async (source: MediaSource, env: SimulatorEnv): Promise<{ uuid: string; url: string }> => {
  const { bytes, format } = await bytesOf(source, env);
  const uuid = randomUUID();
  return { uuid, url: env.media.library.keep(uuid, { bytes, mime: format.mime }, format.extension) };
};

interface UploadParams {
  readonly source: MediaSource;
  readonly deliveryMethod: 'sync' | 'async';
}

const parseImageUpload = (task: TaskObject, env: SimulatorEnv): UploadParams => {
  const read = readParams(task, env.options);
  if (task['image'] === undefined || task['image'] === null) throw missingField('image');
  return { source: readMediaInput(task['image'], 'image', UPLOADABLE_IMAGE, env), deliveryMethod: readDeliveryMethod(read) };
};

const answerUpload = answerOnce(async (params: UploadParams, { env, taskType, taskUUID }) => {
  const { uuid, url } = await keepUpload(params.source, env);
  return { taskType, taskUUID, imageUUID: uuid, imageURL: url };
});

/** `imageUpload`: `{ taskType, taskUUID, imageUUID, imageURL }` (py-legacy needs both, protocol §10.3). */
export const imageUpload = defineFreeTool({
  parse: (task, context) => parseImageUpload(task, context.env),
  // What was uploaded is the caller's own file, not an output for uploadEndpoint to receive back.
  answer: (params: UploadParams, context) => ({ ...answerUpload(params, context), uploadsOutputs: false }),
});

type StorageParams =
  | (UploadParams & { readonly operation: 'upload' })
  | { readonly operation: 'delete'; readonly mediaUUID: string; readonly deliveryMethod: 'sync' | 'async' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const parseMediaStorage = (task: TaskObject, env: SimulatorEnv): StorageParams => {
  const read = readParams(task, env.options);
  // Required by the docs; js-legacy defaults it to "upload", and so does the simulator.
  const operation = read.optionalChoice('operation', ['upload', 'delete']) ?? 'upload';
  const deliveryMethod = readDeliveryMethod(read);
  const media = task['media'];
  if (media === undefined || media === null) throw missingField('media');
  if (operation === 'upload') return { operation, source: readMediaInput(media, 'media', ANY_MEDIA, env), deliveryMethod };
  if (typeof media !== 'string' || !UUID.test(media)) {
    throw new ParamError({
      code: 'invalidMedia',
      message: `Invalid value for media parameter. To delete, send the mediaUUID to delete (received ${echo(media)}).`,
      parameter: 'media',
      type: 'string',
    });
  }
  if (env.media.library.find(media) === undefined) {
    throw new ParamError({
      code: 'mediaNotFound',
      message: `No media found with the UUID ${media}: it was never stored here, or it was already deleted or has expired.`,
      parameter: 'media',
      type: 'string',
    });
  }
  return { operation, mediaUUID: media.toLowerCase(), deliveryMethod };
};

/**
 * `mediaStorage`: `upload` (the default) keeps any media and answers `{ taskType, taskUUID,
 * operation: "upload", mediaUUID, mediaURL }`; `delete` forgets a UUID (uploaded or generated)
 * and its file, and answers `{ taskType, taskUUID, operation: "delete", mediaUUID }`. A deleted
 * UUID is `mediaNotFound` as an input, and its URL answers 404.
 */
export const mediaStorage = defineFreeTool({
  parse: (task, context) => parseMediaStorage(task, context.env),
  answer: answerOnce(async (params: StorageParams, { env, taskType, taskUUID }) => {
    if (params.operation === 'delete') {
      env.media.library.forget(params.mediaUUID);
      return { taskType, taskUUID, operation: 'delete', mediaUUID: params.mediaUUID };
    }
    const { uuid, url } = await keepUpload(params.source, env);
    return { taskType, taskUUID, operation: 'upload', mediaUUID: uuid, mediaURL: url };
  }),
});
