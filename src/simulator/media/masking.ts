import { backgroundMask } from './background-removal.js';
import { decode, encode, fromRaw, rgba } from './image-tools.js';
import type { ImageFormat } from './formats.js';
import type { Sharp } from './optional-deps.js';

/**
 * `imageMasking`'s detector, a documented rule instead of a model: what is not background (the
 * background rule of `removeBackground`: the border's commonest colour, flood-filled from the
 * border within a tolerance) is split into 4-connected regions; each region is a detection, its
 * box the region's bounding box and its confidence how much of the box the region fills. Regions
 * smaller than 0.1 % of the image are noise and dropped; detections below `confidence` are
 * dropped; the `maxDetections` largest are kept, largest first. The mask is white inside every
 * kept box grown by `maskPadding` pixels (a negative padding shrinks it), black elsewhere, then
 * blurred by `maskBlur` (σ = maskBlur / 2), so a picture of a box on a plain ground gives that box.
 */

/** A detection's box, in pixels of the input, inclusive. */
export interface Detection {
  readonly x_min: number;
  readonly y_min: number;
  readonly x_max: number;
  readonly y_max: number;
}

/** The detector's settings (protocol §4.10). */
export interface MaskingSettings {
  readonly confidence: number;
  readonly maxDetections: number;
  readonly maskPadding: number;
  readonly maskBlur: number;
}

interface Region extends Detection {
  readonly area: number;
}

const regionsOf = (subject: Uint8Array, width: number, height: number): Region[] => {
  const seen = new Uint8Array(subject.length);
  const queue = new Int32Array(subject.length);
  const regions: Region[] = [];
  for (let start = 0; start < subject.length; start++) {
    if (subject[start] === 0 || seen[start] === 1) continue;
    let [head, tail] = [0, 0];
    queue[tail++] = start;
    seen[start] = 1;
    let [xMin, yMin, xMax, yMax] = [width, height, -1, -1];
    while (head < tail) {
      const p = queue[head++]!;
      const x = p % width;
      const y = (p - x) / width;
      [xMin, yMin, xMax, yMax] = [Math.min(xMin, x), Math.min(yMin, y), Math.max(xMax, x), Math.max(yMax, y)];
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q >= 0 && subject[q] !== 0 && seen[q] === 0) {
          seen[q] = 1;
          queue[tail++] = q;
        }
      }
    }
    regions.push({ x_min: xMin, y_min: yMin, x_max: xMax, y_max: yMax, area: tail });
  }
  return regions;
};

/**
 * Detects, and draws the mask.
 *
 * @returns The mask image (as `format`) and the detections, largest first.
 */
export const maskImage = async (
  sharp: Sharp,
  bytes: Uint8Array,
  settings: MaskingSettings,
  format: ImageFormat,
  quality?: number,
): Promise<{ mask: Buffer; detections: Detection[] }> => {
  const pixels = await rgba(decode(sharp, bytes));
  const { width, height } = pixels;
  const minimum = Math.max(1, Math.round(0.001 * width * height));
  const detections = regionsOf(backgroundMask(pixels), width, height)
    .filter((region) => region.area >= minimum)
    .filter((region) => region.area / ((region.x_max - region.x_min + 1) * (region.y_max - region.y_min + 1)) >= settings.confidence)
    .sort((a, b) => b.area - a.area || a.y_min - b.y_min || a.x_min - b.x_min)
    .slice(0, settings.maxDetections)
    .map(({ x_min, y_min, x_max, y_max }) => ({ x_min, y_min, x_max, y_max }));
  const mask = new Uint8Array(width * height);
  const pad = settings.maskPadding;
  for (const box of detections) {
    const [left, top] = [Math.max(0, box.x_min - pad), Math.max(0, box.y_min - pad)];
    const [right, bottom] = [Math.min(width - 1, box.x_max + pad), Math.min(height - 1, box.y_max + pad)];
    for (let y = top; y <= bottom; y++) mask.fill(255, y * width + left, y * width + right + 1);
  }
  let image = fromRaw(sharp, mask, width, height, 1);
  if (settings.maskBlur > 0) image = fromRaw(sharp, await image.blur(Math.max(0.3, settings.maskBlur / 2)).extractChannel(0).raw().toBuffer(), width, height, 1);
  return { mask: await encode(image, format, quality, '#000000'), detections };
};
