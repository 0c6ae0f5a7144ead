import type { CreateEncoder, Sharp } from './optional-deps.js';
import { sceneFor, sceneSvg } from './scene.js';

/** Every generated video is this long, whatever `duration` asked for: enough to see it move. */
export const VIDEO_SECONDS = 2;
export const VIDEO_FPS = 12;
/** Longest side of the encoded video; keeps files small and encoding well under a second. */
export const VIDEO_MAX_SIDE = 480;

/** What to draw; `width`/`height` are the requested size, only its aspect ratio is kept. */
export interface VideoSpec {
  readonly prompt: string;
  readonly seed: number;
  readonly width: number;
  readonly height: number;
}

const removeQuietly = (fs: { unlink(path: string): void }, file: string): void => {
  try {
    fs.unlink(file);
  } catch {
    // Nothing was written yet (cancelled or failed before finalize).
  }
};

const finalizeQuietly = (encoder: { finalize(): void }): void => {
  try {
    encoder.finalize();
  } catch {
    // The encode already failed; its own error is the one to report.
  }
};

/** Why an encode stopped early: the simulator is closing. */
export const closedWhileEncoding = (): Error => new Error('simulator closed while encoding a video');

const even = (value: number): number => Math.max(2, 2 * Math.round(value / 2));

/** The encoded size: the requested aspect ratio within {@link VIDEO_MAX_SIDE}, even dimensions (H.264). */
export const encodedVideoSize = (width: number, height: number): { width: number; height: number } => {
  const scale = Math.min(1, VIDEO_MAX_SIDE / width, VIDEO_MAX_SIDE / height);
  return { width: even(width * scale), height: even(height * scale) };
};

/**
 * Renders an animated loop of the prompt's scene and encodes it as an H.264 MP4. Frames are
 * rasterised by sharp off the main thread; the WASM encoder runs on the main thread one frame at
 * a time (a few ms each) and every `await` between frames lets sockets be served.
 * `cancelled` is checked between frames so closing the simulator stops the work.
 */
export const renderVideo = async (
  sharp: Sharp,
  createEncoder: CreateEncoder,
  spec: VideoSpec,
  cancelled: () => boolean,
): Promise<Uint8Array> => {
  // Videos queued behind the one encoding when the simulator closed need no encoder at all.
  if (cancelled()) throw closedWhileEncoding();
  const { width, height } = encodedVideoSize(spec.width, spec.height);
  const scene = sceneFor(spec.prompt, spec.seed);
  const encoder = await createEncoder();
  // The encoders share one in-memory file system, so each writes its own file.
  const file = `video-${spec.seed}-${Math.random().toString(36).slice(2)}.mp4`;
  let open = false;
  try {
    encoder.width = width;
    encoder.height = height;
    encoder.frameRate = VIDEO_FPS;
    encoder.speed = 10;
    encoder.outputFilename = file;
    encoder.initialize();
    open = true;
    const frames = VIDEO_SECONDS * VIDEO_FPS;
    for (let frame = 0; frame < frames; frame++) {
      const svg = sceneSvg(scene, width, height, frame / frames);
      const rgba = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer();
      if (cancelled()) throw closedWhileEncoding();
      encoder.addFrameRgba(rgba);
    }
    open = false;
    encoder.finalize();
    return encoder.FS.readFile(file);
  } finally {
    // Deleting an initialised encoder that was never finalised aborts its WASM module (a
    // RuntimeError that would replace the real reason) and prints a C++ assertion to stdout.
    if (open) finalizeQuietly(encoder);
    removeQuietly(encoder.FS, file);
    encoder.delete();
  }
};
