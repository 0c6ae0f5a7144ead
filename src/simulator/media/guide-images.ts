import { randomFor } from './prng.js';
import { backgroundMask } from './background-removal.js';
import { decode, decoding, encode, fromRaw, imageSize, rgba, type Pixels } from './image-tools.js';
import type { ImageFormat } from './formats.js';
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

export const PREPROCESSORS = ['canny', 'depth', 'mlsd', 'normalbae', 'openpose', 'tile', 'seg', 'lineart', 'lineart_anime', 'shuffle', 'scribble', 'softedge'] as const;
export type Preprocessor = (typeof PREPROCESSORS)[number];

/** What to make, and at what size. */
export interface GuideSpec {
  readonly preProcessorType: Preprocessor;
  /** The output size: the input's, unless `width`/`height` asked for a smaller one. */
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly lowThresholdCanny: number;
  readonly highThresholdCanny: number;
  readonly includeHandsAndFaceOpenPose: boolean;
  readonly format: ImageFormat;
  readonly quality?: number | undefined;
}

/**
 * The output size: `width`/`height` only ever downscale (protocol §4.11), and with one of them
 * given the other follows the input's aspect ratio.
 */
export const guideSize = (input: { width: number; height: number }, spec: Pick<GuideSpec, 'width' | 'height'>): { width: number; height: number } => {
  const scale = Math.min(1, spec.width === undefined ? Infinity : spec.width / input.width, spec.height === undefined ? Infinity : spec.height / input.height);
  if (!Number.isFinite(scale)) return input;
  return { width: Math.max(1, Math.round(input.width * scale)), height: Math.max(1, Math.round(input.height * scale)) };
};

const luminance = ({ data, width, height }: Pixels): Float32Array => {
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

const edges = (pixels: Pixels, spec: GuideSpec): Uint8Array => {
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

const depthOf = async (sharp: Sharp, pixels: Pixels): Promise<Float32Array> => {
  const { width, height } = pixels;
  const lum = luminance(pixels);
  const plane = Uint8Array.from(lum, (value) => Math.round(value));
  const blurred = await fromRaw(sharp, plane, width, height, 1).blur(Math.max(0.3, Math.min(width, height) / 40)).extractChannel(0).raw().toBuffer();
  const depth = new Float32Array(width * height);
  for (let p = 0; p < depth.length; p++) depth[p] = 0.6 * (Math.floor(p / width) / Math.max(1, height - 1)) * 255 + 0.4 * blurred[p]!;
  return depth;
};

const normals = (depth: Float32Array, width: number, height: number): Uint8Array => {
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

/** The subject's bounding box by the background rule, or the middle half of the frame when there is none. */
const subjectBox = (pixels: Pixels) => {
  const mask = backgroundMask(pixels);
  let [left, top, right, bottom] = [pixels.width, pixels.height, -1, -1];
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    const [x, y] = [p % pixels.width, Math.floor(p / pixels.width)];
    [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
  }
  if (right < 0) return { left: pixels.width / 4, top: pixels.height / 4, right: (3 * pixels.width) / 4, bottom: (3 * pixels.height) / 4 };
  return { left, top, right, bottom };
};

/** OpenPose's limb colours, in its usual order. */
const LIMB_COLOURS = ['#ff0000', '#ff5500', '#ffaa00', '#ffff00', '#aaff00', '#55ff00', '#00ff00', '#00ff55', '#00ffaa', '#00ffff', '#00aaff', '#0055ff', '#0000ff'];

const poseSvg = (pixels: Pixels, withHandsAndFace: boolean): string => {
  const { left, top, right, bottom } = subjectBox(pixels);
  const [w, h] = [right - left, bottom - top];
  const point = (u: number, v: number) => [left + u * w, top + v * h] as const;
  const joints = {
    head: point(0.5, 0.1), neck: point(0.5, 0.22), lShoulder: point(0.32, 0.24), rShoulder: point(0.68, 0.24),
    lElbow: point(0.25, 0.42), rElbow: point(0.75, 0.42), lHand: point(0.22, 0.58), rHand: point(0.78, 0.58),
    hip: point(0.5, 0.58), lKnee: point(0.4, 0.78), rKnee: point(0.6, 0.78), lFoot: point(0.38, 0.97), rFoot: point(0.62, 0.97),
  };
  const limbs: (keyof typeof joints)[][] = [
    ['head', 'neck'], ['neck', 'lShoulder'], ['neck', 'rShoulder'], ['lShoulder', 'lElbow'], ['rShoulder', 'rElbow'], ['lElbow', 'lHand'],
    ['rElbow', 'rHand'], ['neck', 'hip'], ['hip', 'lKnee'], ['hip', 'rKnee'], ['lKnee', 'lFoot'], ['rKnee', 'rFoot'],
  ];
  const stroke = Math.max(2, Math.round(Math.min(pixels.width, pixels.height) / 60));
  const lines = limbs.map(([a, b], i) => {
    const [[x1, y1], [x2, y2]] = [joints[a!], joints[b!]];
    return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${LIMB_COLOURS[i % LIMB_COLOURS.length]}" stroke-width="${stroke}" stroke-linecap="round"/>`;
  });
  const dots = Object.values(joints).map(([x, y]) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${stroke}" fill="#ffffff"/>`);
  const extras = withHandsAndFace
    ? [joints.lHand, joints.rHand, joints.head].flatMap(([x, y]) => Array.from({ length: 5 }, (_, k) => `<circle cx="${(x + (k - 2) * stroke).toFixed(1)}" cy="${(y + stroke).toFixed(1)}" r="${Math.max(1, stroke / 2)}" fill="#00ffff"/>`))
    : [];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${pixels.width}" height="${pixels.height}"><rect width="100%" height="100%" fill="#000"/>${lines.join('')}${dots.join('')}${extras.join('')}</svg>`;
};

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
