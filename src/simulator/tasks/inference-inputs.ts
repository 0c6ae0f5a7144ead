import type { SimulatorEnv } from '../env.js';
import { UPLOADABLE_IMAGES } from '../media/sniff.js';
import type { TaskObject } from '../types.js';
import { readMediaInput, type MediaRule } from './media-input.js';
import { isRecord } from '../is-record.js';

/**
 * The media inputs of imageInference and videoInference, checked as the API checks them: a UUID
 * must be of media the server holds (`mediaNotFound`), a data URI or base64 must decode to an
 * accepted format (`invalid<Field>`), an external URL follows `externalInputs`. The simulator
 * draws its pictures from the prompt and seed, so it does not use their pixels. A field that is
 * absent costs one property read: the hot path of a plain text-to-image task stays as it was.
 */

/** An image input of a generation task (its pixels are not decoded: BMP is fine). */
export const IMAGE: MediaRule = { formats: UPLOADABLE_IMAGES, describe: 'a PNG, JPEG, WEBP, GIF, BMP, TIFF or AVIF image' };
/** A media input of any kind (video, audio, documents). */
export const ANY: MediaRule = { describe: 'media' };

/** Where a task carries media: single fields, lists of media, and lists of objects with a media field. */
export interface MediaFields {
  readonly single: readonly (readonly [path: string, rule: MediaRule])[];
  readonly lists: readonly (readonly [path: string, rule: MediaRule])[];
  readonly objects: readonly (readonly [list: string, field: string, rule: MediaRule])[];
}

const IMAGE_INFERENCE: MediaFields = {
  single: [['seedImage', IMAGE], ['maskImage', IMAGE]],
  lists: [['referenceImages', IMAGE]],
  objects: [['controlNet', 'guideImage', IMAGE], ['ipAdapters', 'guideImage', IMAGE]],
};
const IMAGE_INFERENCE_INPUTS: MediaFields = {
  single: [['seedImage', IMAGE], ['maskImage', IMAGE], ['image', IMAGE]],
  lists: [['referenceImages', IMAGE]],
  objects: [],
};
const VIDEO_INFERENCE: MediaFields = {
  single: [['seedVideo', ANY]],
  lists: [['referenceImages', IMAGE], ['referenceVideos', ANY], ['inputAudios', ANY]],
  objects: [['frameImages', 'inputImage', IMAGE]],
};
const VIDEO_INFERENCE_INPUTS: MediaFields = {
  single: [['image', IMAGE], ['video', ANY], ['audio', ANY]],
  lists: [['referenceImages', IMAGE], ['images', IMAGE]],
  objects: [['frameImages', 'image', IMAGE]],
};


/**
 * Checks the media fields of an object (the task, or its `inputs` with `prefix` `inputs.`);
 * throws the first media error. A list element that is an object is left to the server.
 */
export const checkFields = (holder: Record<string, unknown>, prefix: string, fields: MediaFields, env: SimulatorEnv): void => {
  for (const [path, rule] of fields.single) {
    const value = holder[path];
    if (value !== undefined && value !== null) readMediaInput(value, prefix + path, rule, env);
  }
  for (const [path, rule] of fields.lists) {
    const list = holder[path];
    if (!Array.isArray(list)) continue;
    // Elements that are objects are model-specific settings, not media: left to the server.
    list.forEach((value: unknown, i) => {
      if (typeof value === 'string') readMediaInput(value, `${prefix}${path}[${i}]`, rule, env);
    });
  }
  for (const [list, field, rule] of fields.objects) {
    const items = holder[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, i) => {
      if (isRecord(item) && item[field] !== undefined && item[field] !== null) readMediaInput(item[field], `${prefix}${list}[${i}].${field}`, rule, env);
    });
  }
};

/** Checks the media inputs of an imageInference task; throws the first media error. */
export const checkImageInferenceInputs = (task: TaskObject, env: SimulatorEnv): void => {
  checkFields(task, '', IMAGE_INFERENCE, env);
  if (isRecord(task['inputs'])) checkFields(task['inputs'], 'inputs.', IMAGE_INFERENCE_INPUTS, env);
};

/** Checks the media inputs of a videoInference task; throws the first media error. */
export const checkVideoInferenceInputs = (task: TaskObject, env: SimulatorEnv): void => {
  checkFields(task, '', VIDEO_INFERENCE, env);
  if (isRecord(task['inputs'])) checkFields(task['inputs'], 'inputs.', VIDEO_INFERENCE_INPUTS, env);
};
