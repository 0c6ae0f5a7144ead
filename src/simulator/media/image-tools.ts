import type { ImageFormat } from './formats.js';
import type { Sharp } from './optional-deps.js';
import { sceneFor, sceneSvg } from './scene.js';

/**
 * The image tools' pixel work, done by sharp off the main thread where it can be (decode, resize,
 * encode) and in plain loops where it is specific (the background flood fill, the caption's
 * colour census). Every function is deterministic: the same input gives the same bytes.
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
/** How far (0-255, on every channel) a pixel may be from the background colour and still be background. */
export const BACKGROUND_TOLERANCE = 40;

/** Thrown when input bytes cannot be decoded as an image (or claim too many pixels). */
export class UndecodableImageError extends Error {
  override readonly name = 'UndecodableImageError';
}

type Image = ReturnType<Sharp>;

const decode = (sharp: Sharp, bytes: Uint8Array): Image => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS });

/** Runs sharp work on input bytes; a decoding failure becomes an {@link UndecodableImageError}. */
const decoding = async <T>(work: () => Promise<T>): Promise<T> => {
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
interface Pixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

const rgba = (image: Image): Promise<Pixels> =>
  decoding(async () => {
    const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  });

/** Encodes as the task's `outputFormat`; JPG has no alpha, so it is flattened onto `background`. */
const encode = (image: Image, format: ImageFormat, quality = 90, background = '#ffffff'): Promise<Buffer> => {
  switch (format) {
    case 'PNG':
      return image.png({ compressionLevel: 6 }).toBuffer();
    case 'JPG':
      return image.flatten({ background }).jpeg({ quality }).toBuffer();
    case 'WEBP':
      return image.webp({ quality }).toBuffer();
  }
};

const fromRaw = (sharp: Sharp, data: Uint8Array, width: number, height: number, channels: 1 | 4): Image =>
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

/** `removeBackground` settings (protocol §4.8), validated. */
export interface BackgroundSettings {
  /** Background fill `[r, g, b, alpha]`, alpha 0–1; undefined leaves the background transparent. */
  readonly rgba: readonly [number, number, number, number] | undefined;
  readonly postProcessMask: boolean;
  readonly returnOnlyMask: boolean;
  readonly alphaMatting: boolean;
  readonly alphaMattingForegroundThreshold: number;
  readonly alphaMattingBackgroundThreshold: number;
  readonly alphaMattingErodeSize: number;
}

const QUANTUM = 3; // bits dropped per channel when finding the border's most common colour

/**
 * The background mask: 0 where a pixel is background, 255 where it is subject. The background
 * colour is the most common colour of the border pixels (quantised to 5 bits a channel; of equal
 * counts, the one reached first going clockwise from the top-left corner); the background is every pixel within
 * {@link BACKGROUND_TOLERANCE} of it on each of R, G, B and A (fully transparent pixels match a
 * fully transparent background whatever their colour) that is connected, through 4-neighbours,
 * to the border. A subject that touches the border stays subject where it differs from the background.
 */
export const backgroundMask = ({ data, width, height }: Pixels): Uint8Array => {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x);
  for (let y = 1; y < height; y++) border.push(y * width + width - 1);
  for (let x = width - 2; x >= 0 && height > 1; x--) border.push((height - 1) * width + x);
  for (let y = height - 2; y >= 1 && width > 1; y--) border.push(y * width);

  const key = (p: number) =>
    ((data[4 * p]! >> QUANTUM) << 15) | ((data[4 * p + 1]! >> QUANTUM) << 10) | ((data[4 * p + 2]! >> QUANTUM) << 5) | (data[4 * p + 3]! >> QUANTUM);
  const counts = new Map<number, number>();
  let best = border[0]!;
  let bestCount = 0;
  for (const p of border) {
    const count = (counts.get(key(p)) ?? 0) + 1;
    counts.set(key(p), count);
    if (count > bestCount) [best, bestCount] = [p, count];
  }
  const firstOfBest = border.find((p) => key(p) === key(best))!;
  const [R, G, B, A] = [data[4 * firstOfBest]!, data[4 * firstOfBest + 1]!, data[4 * firstOfBest + 2]!, data[4 * firstOfBest + 3]!];
  const isBackground = (p: number) => {
    const a = data[4 * p + 3]!;
    if (a === 0 && A === 0) return true;
    return (
      Math.abs(data[4 * p]! - R) <= BACKGROUND_TOLERANCE &&
      Math.abs(data[4 * p + 1]! - G) <= BACKGROUND_TOLERANCE &&
      Math.abs(data[4 * p + 2]! - B) <= BACKGROUND_TOLERANCE &&
      Math.abs(a - A) <= BACKGROUND_TOLERANCE
    );
  };

  const mask = new Uint8Array(width * height).fill(255);
  const queue = new Int32Array(width * height);
  let tail = 0;
  const visit = (p: number) => {
    if (mask[p] === 0 || !isBackground(p)) return;
    mask[p] = 0;
    queue[tail++] = p;
  };
  for (const p of border) visit(p);
  for (let head = 0; head < tail; head++) {
    const p = queue[head]!;
    const x = p % width;
    if (x > 0) visit(p - 1);
    if (x < width - 1) visit(p + 1);
    if (p >= width) visit(p - width);
    if (p < width * (height - 1)) visit(p + width);
  }
  return mask;
};

/** The mask after the optional post-processing: a 3×3 median, then alpha-matting's feathering. */
const refineMask = async (sharp: Sharp, mask: Uint8Array, width: number, height: number, settings: BackgroundSettings): Promise<Uint8Array> => {
  let refined = mask;
  // extractChannel: sharp hands single-channel raw input back as three channels otherwise.
  if (settings.postProcessMask) refined = await fromRaw(sharp, refined, width, height, 1).median(3).extractChannel(0).raw().toBuffer();
  if (settings.alphaMatting) {
    const sigma = Math.max(0.3, settings.alphaMattingErodeSize / 10);
    const soft = await fromRaw(sharp, refined, width, height, 1).blur(sigma).extractChannel(0).raw().toBuffer();
    refined = soft.map((value) =>
      value >= settings.alphaMattingForegroundThreshold ? 255 : value <= settings.alphaMattingBackgroundThreshold ? 0 : value,
    );
  }
  return refined;
};

/**
 * Removes an image's background ({@link backgroundMask}): the subject keeps its pixels with
 * alpha 255, the background gets alpha 0 (or `rgba`'s colour). `returnOnlyMask` returns the mask
 * itself as an opaque image, white on black. JPG output, which has no alpha, is flattened onto
 * white unless `rgba` gives the colour.
 */
export const removeImageBackground = async (
  sharp: Sharp,
  bytes: Uint8Array,
  settings: BackgroundSettings,
  format: ImageFormat,
  quality?: number,
): Promise<Buffer> => {
  const pixels = await rgba(decode(sharp, bytes));
  const { data, width, height } = pixels;
  const mask = await refineMask(sharp, backgroundMask(pixels), width, height, settings);
  if (settings.returnOnlyMask) return encode(fromRaw(sharp, mask, width, height, 1), format, quality);

  const out = Buffer.alloc(data.length);
  const fill = settings.rgba;
  for (let p = 0; p < mask.length; p++) {
    const keep = mask[p]! / 255;
    const alpha = (data[4 * p + 3]! / 255) * keep;
    if (fill === undefined) {
      out[4 * p] = data[4 * p]!;
      out[4 * p + 1] = data[4 * p + 1]!;
      out[4 * p + 2] = data[4 * p + 2]!;
      out[4 * p + 3] = Math.round(255 * alpha);
    } else {
      for (let c = 0; c < 3; c++) out[4 * p + c] = Math.round(data[4 * p + c]! * keep + fill[c]! * (1 - keep));
      out[4 * p + 3] = Math.round(255 * (alpha + fill[3] * (1 - keep)));
    }
  }
  const background = fill === undefined ? '#ffffff' : `rgb(${fill[0]},${fill[1]},${fill[2]})`;
  return encode(fromRaw(sharp, out, width, height, 4), format, quality, background);
};

/** Named colours of the caption, in the order ties are broken. */
const COLOURS = ['black', 'white', 'grey', 'red', 'orange', 'brown', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const;
type Colour = (typeof COLOURS)[number];

const colourName = (r: number, g: number, b: number): Colour => {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const lightness = (max + min) / 2;
  const saturation = max === min ? 0 : (max - min) / (1 - Math.abs(2 * lightness - 1));
  if (lightness < 0.12) return 'black';
  if (lightness > 0.9 && saturation < 0.3) return 'white';
  if (saturation < 0.15) return 'grey';
  const span = max - min;
  const hue =
    max === r / 255 ? (60 * ((g - b) / 255 / span) + 360) % 360 : max === g / 255 ? 60 * ((b - r) / 255 / span) + 120 : 60 * ((r - g) / 255 / span) + 240;
  if ((hue < 40 || hue >= 345) && lightness < 0.35) return 'brown';
  if (hue < 15 || hue >= 345) return 'red';
  if (hue < 40) return 'orange';
  if (hue < 68) return 'yellow';
  if (hue < 160) return 'green';
  if (hue < 195) return 'teal';
  if (hue < 255) return 'blue';
  if (hue < 290) return 'purple';
  return 'pink';
};

const percent = (part: number, whole: number) => Math.round((100 * part) / whole);

/**
 * A deterministic description of an image: its size and orientation, its dominant colours (each
 * pixel of a 64-pixel thumbnail named from a 12-colour palette by hue, saturation and lightness;
 * the commonest first, the others above 5 % after "with"), how bright it is (mean luminance: dark
 * below 0.3, bright above 0.6) and its contrast (standard deviation of luminance: flat below 0.08,
 * high above 0.25), and how much of it is transparent.
 */
export const describeImage = async (sharp: Sharp, bytes: Uint8Array): Promise<string> => {
  const { width, height } = await imageSize(sharp, bytes);
  const thumbnail = await rgba(decode(sharp, bytes).resize(64, 64, { fit: 'inside' }));
  const counts = new Map<Colour, number>();
  let opaque = 0;
  let sum = 0;
  let squares = 0;
  const { data } = thumbnail;
  const total = data.length / 4;
  for (let p = 0; p < total; p++) {
    if (data[4 * p + 3]! < 128) continue;
    const [r, g, b] = [data[4 * p]!, data[4 * p + 1]!, data[4 * p + 2]!];
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    opaque++;
    sum += luminance;
    squares += luminance * luminance;
    const name = colourName(r, g, b);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const orientation = width === height ? 'square' : width > height ? 'landscape' : 'portrait';
  const head = `A ${width}×${height} ${orientation} image`;
  if (opaque === 0) return `${head}, entirely transparent.`;
  const ranked = COLOURS.filter((name) => counts.has(name)).sort((a, b) => counts.get(b)! - counts.get(a)!);
  const [main, ...rest] = ranked;
  const others = rest.filter((name) => percent(counts.get(name)!, opaque) >= 5).slice(0, 3);
  const mean = sum / opaque;
  const deviation = Math.sqrt(Math.max(0, squares / opaque - mean * mean));
  const brightness = mean < 0.3 ? 'dark' : mean > 0.6 ? 'bright' : 'moderately lit';
  const contrast = deviation < 0.08 ? 'flat contrast' : deviation > 0.25 ? 'high contrast' : 'moderate contrast';
  const transparent = total - opaque;
  return [
    `${head}, mostly ${main!} (${percent(counts.get(main!)!, opaque)}%)`,
    others.length > 0 ? ` with ${others.join(others.length > 2 ? ', ' : ' and ').replace(/, ([^,]*)$/, ' and $1')}` : '',
    `; ${brightness}, ${contrast}`,
    percent(transparent, total) >= 5 ? `, ${percent(transparent, total)}% transparent` : '',
    '.',
  ].join('');
};
