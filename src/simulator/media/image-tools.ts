import type { ImageFormat } from './formats.js';
import type { Sharp } from './optional-deps.js';
import { sceneFor, sceneSvg } from './scene.js';

/**
 * The image tools' shared pixel work, done by sharp off the main thread where it can be (decode,
 * resize, encode), their bounds, and upscaling. The background flood fill is in
 * `background-removal.ts`, the caption's colour census in `image-caption.ts`. Every function is
 * deterministic: the same input gives the same bytes.
 */

/**
 * Inputs above this many pixels (16 megapixels) are refused before decoding: a small PNG can claim
 * a huge size, and the background flood fill runs on the main thread (about 0.2 s at this bound).
 */
export const MAX_INPUT_PIXELS = 4096 * 4096;
/** An upscaled image may have at most this many pixels (4096 × 4096)... */
export const MAX_OUTPUT_PIXELS = 4096 * 4096;
/** ...and at most this many on either side. */
export const MAX_OUTPUT_SIDE = 8192;
/** Side of the stand-in image drawn for an external URL. */
export const STAND_IN_SIDE = 512;

/** Thrown when input bytes cannot be decoded as an image (or claim too many pixels). */
export class UndecodableImageError extends Error {
  override readonly name = 'UndecodableImageError';
}

/** A sharp pipeline. */
export type Image = ReturnType<Sharp>;

/** Opens input bytes, refusing more than {@link MAX_INPUT_PIXELS} before decoding. */
export const decode = (sharp: Sharp, bytes: Uint8Array): Image => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS });

/** Runs sharp work on input bytes; a decoding failure becomes an {@link UndecodableImageError}. */
export const decoding = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    throw new UndecodableImageError(error instanceof Error ? error.message : String(error));
  }
};

/** Width and height of an image as stored (before any EXIF orientation, which the tools do not apply). */
export const imageSize = (sharp: Sharp, bytes: Uint8Array): Promise<{ width: number; height: number }> =>
  decoding(async () => {
    const { width, height } = await decode(sharp, bytes).metadata();
    if (!width || !height) throw new Error('the image has no size');
    return { width, height };
  });

/** RGBA pixels of an image. */
export interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** An image's RGBA pixels (decoding failures as {@link UndecodableImageError}). */
export const rgba = (image: Image): Promise<Pixels> =>
  decoding(async () => {
    const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  });

/** Encodes as the task's `outputFormat`; JPG has no alpha, so it is flattened onto `background`. */
export const encode = (image: Image, format: ImageFormat, quality = 90, background = '#ffffff'): Promise<Buffer> => {
  switch (format) {
    case 'PNG':
      return image.png({ compressionLevel: 6 }).toBuffer();
    case 'JPG':
      return image.flatten({ background }).jpeg({ quality }).toBuffer();
    case 'WEBP':
      return image.webp({ quality }).toBuffer();
  }
};

/** A pipeline over raw pixels. */
export const fromRaw = (sharp: Sharp, data: Uint8Array, width: number, height: number, channels: 1 | 4): Image =>
  sharp(data, { raw: { width, height, channels } });

/**
 * The stand-in for an external URL the simulator does not fetch: a {@link STAND_IN_SIDE}-pixel
 * square PNG of the generative scene seeded by the URL, so one URL is always the same picture.
 */
export const standInImage = (sharp: Sharp, url: string): Promise<Buffer> =>
  sharp(Buffer.from(sceneSvg(sceneFor(url, 0), STAND_IN_SIDE, STAND_IN_SIDE))).png().toBuffer();

/** Why an upscale is refused: the output would exceed the simulator's bounds. */
export const upscaleTooLarge = (width: number, height: number, factor: number): string | undefined => {
  const out = { width: width * factor, height: height * factor };
  if (out.width <= MAX_OUTPUT_SIDE && out.height <= MAX_OUTPUT_SIDE && out.width * out.height <= MAX_OUTPUT_PIXELS) return undefined;
  return (
    `Upscaling ${width}×${height} by ${factor} gives ${out.width}×${out.height}, above the simulator's limit ` +
    `(${MAX_OUTPUT_PIXELS / 1_048_576} megapixels, ${MAX_OUTPUT_SIDE} px a side); use a smaller factor or input.`
  );
};

/**
 * Resizes an image to exactly `factor` times its size (Lanczos), encoded as `format`.
 *
 * @returns The bytes and the new size; the caller checks {@link upscaleTooLarge} first.
 */
export const upscaleImage = async (sharp: Sharp, bytes: Uint8Array, factor: number, format: ImageFormat, quality?: number) => {
  const { width, height } = await imageSize(sharp, bytes);
  const resized = decode(sharp, bytes).resize(width * factor, height * factor, { kernel: 'lanczos3', fit: 'fill' });
  return { bytes: await decoding(() => encode(resized, format, quality)), width: width * factor, height: height * factor };
};
