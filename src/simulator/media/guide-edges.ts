import type { Pixels } from './image-tools.js';
import type { GuideSpec } from './guide-spec.js';

/** The edge family of guide images (`canny`, `mlsd`, `lineart`, `lineart_anime`, `scribble`, `softedge`): the Sobel gradient of the luminance. */

/** The luminance of each pixel (Rec. 709), weighed by its alpha. */
export const luminance = ({ data, width, height }: Pixels): Float32Array => {
  const out = new Float32Array(width * height);
  for (let p = 0; p < out.length; p++) out[p] = (0.2126 * data[4 * p]! + 0.7152 * data[4 * p + 1]! + 0.0722 * data[4 * p + 2]!) * (data[4 * p + 3]! / 255);
  return out;
};

/** Sobel gradient magnitude, 0–255 (clamped), of a luminance plane. */
const gradient = (lum: Float32Array, width: number, height: number): Float32Array => {
  const out = new Float32Array(lum.length);
  const at = (x: number, y: number) => lum[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1);
      const gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1);
      out[y * width + x] = Math.min(255, Math.hypot(gx, gy) / 4);
    }
  }
  return out;
};

/**
 * The edge plane, white on black: pixels at or above the high threshold, and those above the low
 * one next to them (one step of hysteresis); `canny` takes its thresholds from the spec, the others
 * 40 and 80; `softedge` keeps the gradient as grey levels; `scribble` thickens the lines.
 */
export const edges = (pixels: Pixels, spec: Pick<GuideSpec, 'preProcessorType' | 'lowThresholdCanny' | 'highThresholdCanny'>): Uint8Array => {
  const { width, height } = pixels;
  const magnitude = gradient(luminance(pixels), width, height);
  const out = new Uint8Array(width * height);
  if (spec.preProcessorType === 'softedge') {
    for (let p = 0; p < out.length; p++) out[p] = Math.round(magnitude[p]!);
    return out;
  }
  const [low, high] = spec.preProcessorType === 'canny' ? [spec.lowThresholdCanny, spec.highThresholdCanny] : [40, 80];
  for (let p = 0; p < out.length; p++) if (magnitude[p]! >= high) out[p] = 255;
  const strong = out.slice();
  for (let p = 0; p < out.length; p++) {
    if (out[p] === 255 || magnitude[p]! < low) continue;
    const x = p % width;
    const near = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width].some((q) => q >= 0 && q < out.length && strong[q] === 255);
    if (near) out[p] = 255;
  }
  if (spec.preProcessorType === 'scribble') {
    for (let p = 0; p < out.length; p++) if (strong[p] === 255) for (const q of [p - 1, p + 1, p - width, p + width]) if (q >= 0 && q < out.length) out[q] = 255;
  }
  return out;
};
