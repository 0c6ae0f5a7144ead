import { IMAGE_FORMATS, MP4, type MediaExtension } from './formats.js';
import type { MediaStore } from './media-store.js';
import type { CreateEncoder, MediaPackages, Sharp } from './optional-deps.js';
import { PLACEHOLDER_BASE64, placeholderName } from './placeholders.js';
import { renderImage, type ImageSpec } from './render-image.js';
import { renderVideo, type VideoSpec } from './render-video.js';
import { createLru } from './lru.js';

/** How an image result is returned (protocol §4.1 `outputType`). */
export type OutputType = 'URL' | 'base64Data' | 'dataURI';

/** The output fields of one image result item. */
export type ImageFields = { imageURL: string } | { imageBase64Data: string } | { imageDataURI: string };

/** A value now (fast mode) or later (real media): lets the hot path skip promises entirely. */
export type Eventually<T> = T | Promise<T>;

/** Produces result media for task handlers. */
export interface MediaEngine {
  /** Draws (or, in fast mode, picks the placeholder for) one image; `uuid` names the served file. */
  image(spec: ImageSpec & { readonly outputType: OutputType; readonly uuid: string }): Eventually<ImageFields>;
  /** Encodes (or picks the placeholder for) one video; starts work at once, cached per prompt+seed+size. */
  video(spec: VideoSpec & { readonly uuid: string }): Eventually<{ videoURL: string }>;
}

/** Options of {@link createMediaEngine}. */
export interface MediaEngineOptions {
  /**
   * What real media can use. Images are real when sharp loaded, videos when sharp and the
   * encoder did; the rest is served as placeholders. No packages = fast mode, nothing encoded.
   */
  readonly packages: MediaPackages;
  /** `http://host:port`, the prefix of every media URL. */
  readonly baseUrl: string;
  readonly store: MediaStore;
  /** True once the simulator is closing; long encodes stop early. */
  readonly isClosed: () => boolean;
}

const imageFields = (outputType: OutputType, url: string, base64: string, mime: string): ImageFields =>
  outputType === 'URL'
    ? { imageURL: url }
    : outputType === 'base64Data'
      ? { imageBase64Data: base64 }
      : { imageDataURI: `data:${mime};base64,${base64}` };

const OUTPUT_TYPES: readonly OutputType[] = ['URL', 'base64Data', 'dataURI'];

const createFastEngine = ({ baseUrl, store }: MediaEngineOptions): MediaEngine => {
  const fileOf = (extension: MediaExtension, mime: string) => ({ bytes: Buffer.from(PLACEHOLDER_BASE64[extension], 'base64'), mime });
  for (const { extension, mime } of Object.values(IMAGE_FORMATS)) store.put(placeholderName(extension), fileOf(extension, mime));
  const mp4 = fileOf(MP4.extension, MP4.mime);
  const mp4Name = placeholderName(MP4.extension);
  store.put(mp4Name, mp4);
  const urlOf = (extension: MediaExtension) => `${baseUrl}/media/${placeholderName(extension)}`;
  // Every answer is one of nine constant field sets, built once: the hot path only looks one up.
  const fields = new Map<string, ImageFields>();
  for (const [format, { extension, mime }] of Object.entries(IMAGE_FORMATS)) {
    for (const outputType of OUTPUT_TYPES) {
      fields.set(`${format}/${outputType}`, imageFields(outputType, urlOf(extension), PLACEHOLDER_BASE64[extension], mime));
    }
  }
  const video = { videoURL: urlOf(MP4.extension) };
  return {
    image: ({ format, outputType }) => fields.get(`${format}/${outputType}`)!,
    video: () => {
      // Beside real images (sharp without the encoder) the store's LRU could evict it: touch it.
      store.put(mp4Name, mp4);
      return video;
    },
  };
};

/** One job at a time: each WASM encoder holds its own memory, so parallel encodes only add pressure. */
const createSerialQueue = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
};

/** Images drawn by sharp at the requested size, stored for URL outputs. */
const createRealImages = ({ baseUrl, store }: MediaEngineOptions, sharp: Sharp): MediaEngine['image'] =>
  async ({ outputType, uuid, ...spec }) => {
    const bytes = await renderImage(sharp, spec);
    const { extension, mime } = IMAGE_FORMATS[spec.format];
    const name = `${uuid}.${extension}`;
    if (outputType === 'URL') store.put(name, { bytes, mime });
    return imageFields(outputType, `${baseUrl}/media/${name}`, outputType === 'URL' ? '' : bytes.toString('base64'), mime);
  };

/** Videos: frames drawn by sharp, encoded to H.264 MP4, one encode at a time. */
const createRealVideos = (
  { baseUrl, store, isClosed }: MediaEngineOptions,
  sharp: Sharp,
  createEncoder: CreateEncoder,
): MediaEngine['video'] => {
  const serially = createSerialQueue();
  // Same prompt, seed and size → same bytes; the demo and tests poll the same videos repeatedly.
  const videos = createLru<string, Promise<Uint8Array>>({ maxCost: 64 });

  const encodeVideo = (spec: VideoSpec): Promise<Uint8Array> => {
    const key = `${spec.prompt}\u0000${spec.seed}\u0000${spec.width}x${spec.height}`;
    const cached = videos.get(key);
    if (cached !== undefined) return cached;
    const bytes = serially(() => renderVideo(sharp, createEncoder, spec, isClosed));
    videos.set(key, bytes);
    bytes.catch(() => videos.delete(key));
    return bytes;
  };

  return async ({ uuid, ...spec }) => {
    const bytes = await encodeVideo(spec);
    const name = `${uuid}.${MP4.extension}`;
    store.put(name, { bytes, mime: MP4.mime });
    return { videoURL: `${baseUrl}/media/${name}` };
  };
};

/** Real media where its packages loaded, placeholders for the rest, behind one interface. */
export const createMediaEngine = (options: MediaEngineOptions): MediaEngine => {
  const { sharp, createEncoder } = options.packages;
  if (sharp !== undefined && createEncoder !== undefined) {
    return { image: createRealImages(options, sharp), video: createRealVideos(options, sharp, createEncoder) };
  }
  const placeholders = createFastEngine(options);
  // Images need only sharp: with it but without the encoder, images are real and videos are not.
  return sharp === undefined ? placeholders : { image: createRealImages(options, sharp), video: placeholders.video };
};
