import type { Sharp } from './optional-deps.js';
import { closedWhileEncoding, encodedVideoSize, VIDEO_FPS, VIDEO_SECONDS, type VideoSpec } from './render-video.js';
import { sceneFor, sceneSvg } from './scene.js';
import type { VideoContainers } from './video-containers.js';

/**
 * The VP8 key frame inside a lossy WebP. No VP8 encoder is at hand, but libwebp (in sharp) is
 * one: a lossy WebP of an opaque image without metadata is RIFF, WEBP and one `VP8 ` chunk whose
 * payload is exactly the frame WebM carries (an alpha channel would add VP8X and ALPH chunks).
 *
 * @param webp A WebP that sharp wrote from an image without alpha.
 * @returns The frame (a view into `webp`).
 * @throws {Error} When the file is not a simple lossy WebP.
 */
export const vp8FrameOf = (webp: Buffer): Uint8Array => {
  const chunk = webp.toString('latin1', 12, 16);
  if (webp.toString('latin1', 0, 4) !== 'RIFF' || chunk !== 'VP8 ') throw new Error(`expected a simple lossy WebP, found a ${JSON.stringify(chunk)} chunk`);
  return webp.subarray(20, 20 + webp.readUInt32LE(16));
};

/**
 * Renders the same loop as the MP4 (see render-video.ts) as a WEBM of VP8 key frames: every
 * frame stands alone, so the file is larger than an inter-coded one would be, but it is valid
 * and plays in browsers. `cancelled` is checked between frames.
 */
export const renderWebm = async (sharp: Sharp, containers: VideoContainers, spec: VideoSpec, cancelled: () => boolean): Promise<Uint8Array> => {
  if (cancelled()) throw closedWhileEncoding();
  const size = encodedVideoSize(spec.width, spec.height);
  const scene = sceneFor(spec.prompt, spec.seed);
  const count = VIDEO_SECONDS * VIDEO_FPS;
  const frames: Uint8Array[] = [];
  for (let frame = 0; frame < count; frame++) {
    const svg = sceneSvg(scene, size.width, size.height, frame / count);
    const webp = await sharp(Buffer.from(svg)).removeAlpha().webp({ quality: 80 }).toBuffer();
    if (cancelled()) throw closedWhileEncoding();
    frames.push(vp8FrameOf(webp));
  }
  return containers.webm(frames, size, VIDEO_FPS);
};
