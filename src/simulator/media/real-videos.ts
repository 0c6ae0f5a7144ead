import { VIDEO_FORMATS, type VideoFormat } from './formats.js';
import { createLru } from './lru.js';
import type { MediaLibrary } from './media-library.js';
import type { CreateEncoder, Sharp } from './optional-deps.js';
import { renderVideo, type VideoSpec } from './render-video.js';
import { renderWebm } from './render-webm.js';
import type { VideoContainers } from './video-containers.js';

/** One video to make: what to draw, in which container, kept under which UUID. */
export type VideoRequest = VideoSpec & { readonly uuid: string; readonly format: VideoFormat };

/** What real videos can use; each format needs its own part of it (see {@link realVideoFormats}). */
export interface VideoPackages {
  readonly sharp: Sharp;
  readonly createEncoder: CreateEncoder | undefined;
  readonly containers: VideoContainers | undefined;
}

/**
 * The formats that can be real: MP4 needs the H.264 encoder, MOV the encoder and mediabunny (it
 * is the MP4 remuxed), WEBM only mediabunny (its VP8 frames come from sharp's libwebp).
 */
export const realVideoFormats = ({ createEncoder, containers }: VideoPackages): ReadonlySet<VideoFormat> =>
  new Set<VideoFormat>([
    ...(createEncoder === undefined ? [] : (['MP4'] as const)),
    ...(createEncoder === undefined || containers === undefined ? [] : (['MOV'] as const)),
    ...(containers === undefined ? [] : (['WEBM'] as const)),
  ]);

/** One job at a time: each WASM encoder holds its own memory, so parallel encodes only add pressure. */
const createSerialQueue = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
};

/**
 * Videos drawn by sharp and put in the container asked for, one encode at a time; call only
 * with a format of {@link realVideoFormats}.
 */
export const createRealVideos = (library: MediaLibrary, isClosed: () => boolean, { sharp, createEncoder, containers }: VideoPackages) => {
  const serially = createSerialQueue();
  // Same prompt, seed, size and format → same bytes; the demo and tests poll the same videos repeatedly.
  const videos = createLru<string, Promise<Uint8Array>>({ maxCost: 64 });
  const unavailable = (format: VideoFormat) => Promise.reject(new Error(`no package to write ${format} with`));

  const make = (spec: VideoSpec, format: VideoFormat): Promise<Uint8Array> => {
    if (format === 'WEBM') return containers === undefined ? unavailable(format) : serially(() => renderWebm(sharp, containers, spec, isClosed));
    if (createEncoder === undefined) return unavailable(format);
    if (format === 'MP4') return serially(() => renderVideo(sharp, createEncoder, spec, isClosed));
    // The MOV of a video whose MP4 is cached costs only the remux.
    return containers === undefined ? unavailable(format) : encode(spec, 'MP4').then((mp4) => containers.mov(mp4));
  };

  const encode = (spec: VideoSpec, format: VideoFormat): Promise<Uint8Array> => {
    const key = `${spec.prompt}\u0000${spec.seed}\u0000${spec.width}x${spec.height}\u0000${format}`;
    const cached = videos.get(key);
    if (cached !== undefined) return cached;
    const bytes = make(spec, format);
    videos.set(key, bytes);
    bytes.catch(() => videos.delete(key));
    return bytes;
  };

  return async ({ uuid, format, prompt, seed, width, height }: VideoRequest): Promise<{ videoURL: string }> => {
    const bytes = await encode({ prompt, seed, width, height }, format);
    const { extension, mime } = VIDEO_FORMATS[format];
    return { videoURL: library.keep(uuid, { bytes, mime }, extension) };
  };
};
