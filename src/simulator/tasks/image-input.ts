import { randomUUID } from 'node:crypto';
import type { SimulatorEnv } from '../env.js';
import { standInImage, UndecodableImageError } from '../media/image-tools.js';
import { PLACEHOLDER_BASE64 } from '../media/placeholders.js';
import { DECODABLE_IMAGES, sniffFormat, type SniffedFormat } from '../media/sniff.js';
import type { TaskObject } from '../types.js';
import { invalidMedia, readMediaInput, valueAt, type MediaRule, type MediaSource } from './media-input.js';
import { ParamError } from './param-error.js';

/** What the image tools take: formats sharp decodes. */
export const DECODABLE_IMAGE: MediaRule = { formats: DECODABLE_IMAGES, describe: 'a PNG, JPEG, WEBP, GIF, TIFF or AVIF image' };

/** The input image of a tool task, read from whichever field carries it. */
export interface ImageInput {
  readonly path: string;
  readonly source: MediaSource;
}

/**
 * Reads the input image of a tool: `inputImage` (classic style) or `inputs.image` (schema style),
 * the first present. `inputs.video` (video tools) is refused: the simulator has no video decoder.
 *
 * @throws ParamError `missingInputImage` when neither is present; the media errors of `readMediaInput`.
 */
export const readImageInput = (task: TaskObject, env: SimulatorEnv, taskType: string): ImageInput => {
  for (const path of ['inputImage', 'inputs.image']) {
    const value = valueAt(task, path);
    if (value !== undefined && value !== null) return { path, source: readMediaInput(value, path, DECODABLE_IMAGE, env) };
  }
  if (valueAt(task, 'inputs.video') !== undefined) {
    throw new ParamError({
      code: 'unsupportedParameter',
      message: `The simulator does not implement video ${taskType}: send an image as inputImage or inputs.image.`,
      parameter: 'inputs.video',
      type: 'string',
    });
  }
  throw new ParamError({
    code: 'missingInputImage',
    message: 'Missing inputImage parameter. Send the image as inputImage (or inputs.image): a UUID, a data URI, base64 data or a URL.',
    parameter: 'inputImage',
    type: 'string',
  });
};

/** An input's bytes (undefined in fast mode for a stand-in), its format and the UUID it is kept under. */
export interface MaterialInput {
  readonly bytes: Buffer;
  readonly format: SniffedFormat;
  /** `inputImageUUID`: the UUID it was sent as, or the one the simulator kept it under. */
  readonly uuid: string;
}


/** The bytes and format of a source: the file's own, or an external URL's stand-in (drawn by sharp; without it, the placeholder PNG). */
export const bytesOf = async (source: MediaSource, env: SimulatorEnv): Promise<{ bytes: Buffer; format: SniffedFormat }> => {
  if (source.kind === 'file') {
    const { bytes } = source.file;
    return { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), format: source.format };
  }
  const { sharp } = env.media;
  const bytes = sharp === undefined ? Buffer.from(PLACEHOLDER_BASE64.png, 'base64') : await standInImage(sharp, source.url);
  return { bytes, format: sniffFormat(bytes) };
};

/**
 * The bytes of an input, kept in the media library under a UUID unless it came as one (the API
 * stores what it is sent and reports it as `inputImageUUID`), so it can be used again by UUID.
 */
export const materialise = async ({ source }: ImageInput, env: SimulatorEnv): Promise<MaterialInput> => {
  const { bytes, format } = await bytesOf(source, env);
  if (source.kind === 'file' && source.uuid !== undefined) return { bytes, format, uuid: source.uuid };
  const uuid = randomUUID();
  env.media.library.keep(uuid, { bytes, mime: format.mime }, format.extension);
  return { bytes, format, uuid };
};

/** Runs pixel work on an input; bytes sharp cannot decode become the field's `invalid<Field>` error. */
export const decodingInput = async <T>(input: ImageInput, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UndecodableImageError) throw invalidMedia(input.path, `The image could not be decoded (${error.message}).`);
    throw error;
  }
};
