import { fromRaw, type Pixels } from './image-tools.js';
import type { Sharp } from './optional-deps.js';
import { luminance } from './guide-edges.js';

/** The depth family of guide images: `depth` (near is bright) and `normalbae` (that depth's slopes as a normal map). */

/** The blurred luminance mixed with a floor-to-sky gradient (the bottom of a picture is usually nearer), 0–255. */
export const depthOf = async (sharp: Sharp, pixels: Pixels): Promise<Float32Array> => {
  const { width, height } = pixels;
  const lum = luminance(pixels);
  const plane = Uint8Array.from(lum, (value) => Math.round(value));
  const blurred = await fromRaw(sharp, plane, width, height, 1).blur(Math.max(0.3, Math.min(width, height) / 40)).extractChannel(0).raw().toBuffer();
  const depth = new Float32Array(width * height);
  for (let p = 0; p < depth.length; p++) depth[p] = 0.6 * (Math.floor(p / width) / Math.max(1, height - 1)) * 255 + 0.4 * blurred[p]!;
  return depth;
};

/** A depth plane's slopes as RGBA normals (RGB = xyz). */
export const normals = (depth: Float32Array, width: number, height: number): Uint8Array => {
  const out = new Uint8Array(width * height * 4);
  const at = (x: number, y: number) => depth[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [dx, dy] = [(at(x + 1, y) - at(x - 1, y)) / 255, (at(x, y + 1) - at(x, y - 1)) / 255];
      const length = Math.hypot(dx, dy, 1);
      const p = 4 * (y * width + x);
      out.set([Math.round(127.5 * (1 - dx / length)), Math.round(127.5 * (1 - dy / length)), Math.round(255 / length), 255], p);
    }
  }
  return out;
};
