import type { ImageFormat } from './formats.js';
import { decode, encode, fromRaw, rgba, type Pixels } from './image-tools.js';
import type { Sharp } from './optional-deps.js';

/*
 * Background removal: the flood fill from the border that finds the background, its optional
 * refinement, and the cut-out. Plain loops on the main thread, bounded by the input limit.
 */

/** How far (0-255, on every channel) a pixel may be from the background colour and still be background. */
export const BACKGROUND_TOLERANCE = 40;

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
