import { randomFor } from './prng.js';
import { backgroundMask } from './background-removal.js';
import { depthOf, normals } from './guide-depth.js';
import { edges } from './guide-edges.js';
import { poseSvg } from './guide-pose.js';
import { guideSize, type GuideSpec } from './guide-spec.js';
import { decode, decoding, encode, fromRaw, imageSize, rgba, type Pixels } from './image-tools.js';
import type { Sharp } from './optional-deps.js';

/**
 * `controlNetPreprocess`'s guide images, one rule per preprocessor family, each a function of
 * the input's pixels at the output's size (the input's, or smaller when `width`/`height` ask):
 * - edges (`canny`, `mlsd`, `lineart`, `lineart_anime`, `scribble`, `softedge`): the Sobel gradient
 *   of the luminance; `canny` keeps pixels at or above the high threshold and those above the low
 *   one next to them (one step of hysteresis), white on black; `softedge` keeps the gradient as
 *   grey levels; `scribble` thickens the lines;
 * - `depth`: near is bright: the blurred luminance mixed with a floor-to-sky gradient (the bottom of
 *   a picture is usually nearer); `normalbae`: that depth's slopes as a normal map (RGB = xyz);
 * - `openpose`: a stick figure drawn over the subject's bounding box (the background rule of
 *   `removeBackground`), on black; with `includeHandsAndFaceOpenPose`, hands and a face too;
 * - `seg`: subject and background in two flat colours; `tile`: the picture at an eighth of its
 *   detail; `shuffle`: its 16-pixel blocks shuffled by a stream seeded from its size.
 */

const shuffled = ({ data, width, height }: Pixels): Uint8Array => {
  const block = 16;
  const [cols, rows] = [Math.ceil(width / block), Math.ceil(height / block)];
  const order = Array.from({ length: cols * rows }, (_, i) => i);
  const random = randomFor(`${width}x${height}`, 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = order[Math.floor(y / block) * cols + Math.floor(x / block)]!;
      const [sx, sy] = [Math.min(width - 1, (source % cols) * block + (x % block)), Math.min(height - 1, Math.floor(source / cols) * block + (y % block))];
      out.set(data.subarray(4 * (sy * width + sx), 4 * (sy * width + sx) + 4), 4 * (y * width + x));
    }
  }
  return out;
};

/**
 * Makes the guide image of an input.
 *
 * @returns The encoded guide image and its size.
 */
export const guideImage = async (sharp: Sharp, bytes: Uint8Array, spec: GuideSpec): Promise<{ bytes: Buffer; width: number; height: number }> => {
  const size = guideSize(await imageSize(sharp, bytes), spec);
  const pixels = await rgba(decode(sharp, bytes).resize(size.width, size.height, { fit: 'fill' }));
  const { width, height } = pixels;
  const out = (image: ReturnType<Sharp>) => decoding(() => encode(image, spec.format, spec.quality, '#000000'));
  let encoded: Buffer;
  switch (spec.preProcessorType) {
    case 'depth': {
      const depth = await depthOf(sharp, pixels);
      encoded = await out(fromRaw(sharp, Uint8Array.from(depth, (value) => Math.round(value)), width, height, 1));
      break;
    }
    case 'normalbae':
      encoded = await out(fromRaw(sharp, normals(await depthOf(sharp, pixels), width, height), width, height, 4));
      break;
    case 'openpose':
      encoded = await out(sharp(Buffer.from(poseSvg(pixels, spec.includeHandsAndFaceOpenPose))));
      break;
    case 'seg': {
      const mask = backgroundMask(pixels);
      const flat = new Uint8Array(width * height * 4);
      for (let p = 0; p < mask.length; p++) flat.set(mask[p] === 0 ? [120, 120, 120, 255] : [180, 120, 120, 255], 4 * p);
      encoded = await out(fromRaw(sharp, flat, width, height, 4));
      break;
    }
    case 'tile':
      encoded = await out(sharp(await fromRaw(sharp, pixels.data, width, height, 4).resize(Math.max(1, Math.round(width / 8)), Math.max(1, Math.round(height / 8))).png().toBuffer()).resize(width, height, { kernel: 'cubic' }));
      break;
    case 'shuffle':
      encoded = await out(fromRaw(sharp, shuffled(pixels), width, height, 4));
      break;
    default:
      encoded = await out(fromRaw(sharp, edges(pixels, spec), width, height, 1));
  }
  return { bytes: encoded, width, height };
};
