import { randomUUID } from 'node:crypto';
import { IMAGE_FORMATS, VIDEO_FORMATS, type FileFormat, type ImageFormat, type MediaExtension, type VideoFormat } from './formats.js';
import { createMediaLibrary, type MediaLibrary } from './media-library.js';
import type { MediaStore } from './media-store.js';
import type { AudioEncoders, MediaPackages, Sharp, TraceToSvg } from './optional-deps.js';
import { PLACEHOLDER_BASE64, placeholderName } from './placeholders.js';
import { createRealVideos, realVideoFormats } from './real-videos.js';
import { renderImage, type ImageSpec } from './render-image.js';
import type { VideoSpec } from './render-video.js';

/** How an image result is returned (protocol §4.1 `outputType`). */
export type OutputType = 'URL' | 'base64Data' | 'dataURI';

/** The output fields of one image result item. */
export type ImageFields = { imageURL: string } | { imageBase64Data: string } | { imageDataURI: string };

/** A value now (fast mode) or later (real media): lets the hot path skip promises entirely. */
export type Eventually<T> = T | Promise<T>;

/** Produces result media for task handlers. */
export interface MediaEngine {
  /**
   * Draws (or, in fast mode, picks the placeholder for) one image; `uuid` names the served file
   * and is registered in the library, so the image can be the input of a later task.
   */
  image(spec: ImageSpec & { readonly outputType: OutputType; readonly uuid: string }): Eventually<ImageFields>;
  /**
   * Encodes (or picks the placeholder for) one video in `format` (default MP4); starts work at
   * once, cached per prompt+seed+size+format. `uuid` must come from `videoUUID` of the same format.
   */
  video(spec: VideoSpec & { readonly uuid: string; readonly format?: VideoFormat }): Eventually<{ videoURL: string }>;
  /**
   * The output fields of an image a tool made (upscale, removeBackground): keeps it under `uuid`
   * and answers as `outputType` asks. `bytes` undefined: the placeholder of `format` (fast mode).
   */
  output(uuid: string, format: ImageFormat, outputType: OutputType, bytes: Buffer | undefined): ImageFields;
  /**
   * The UUID of the next image of `format` (or video): a random UUID v4, or in fast mode a minted
   * one that the library recognises without storing it.
   */
  imageUUID(format: ImageFormat): string;
  videoUUID(format?: VideoFormat): string;
  /** sharp, when real images can be made; undefined in fast mode or when it could not be loaded. */
  readonly sharp: Sharp | undefined;
  /** The MP3 and OGG encoders, when they loaded (WAV and FLAC need none). */
  readonly audioEncoders: AudioEncoders | undefined;
  /** `vectorize`'s tracer, when it loaded. */
  readonly traceToSvg: TraceToSvg | undefined;
  readonly library: MediaLibrary;
}

/** Options of {@link createMediaEngine}. */
export interface MediaEngineOptions {
  /**
   * What real media can use. Images are real when sharp loaded, videos when sharp and what their
   * format needs did (see real-videos.ts); the rest is served as placeholders. No packages = fast
   * mode, nothing encoded.
   */
  readonly packages: MediaPackages;
  /** `http://host:port`, the prefix of every media URL. */
  readonly baseUrl: string;
  /** Where files are kept (bounded by bytes) and served from. */
  readonly store: MediaStore;
  /** Media UUIDs remembered as inputs of later tasks; default 100 000. */
  readonly maxUuids?: number;
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

/** Every placeholder file, in the order their minted UUIDs are tagged (a function: importing computes nothing). */
const placeholderFormats = (): readonly FileFormat[] => [...Object.values(IMAGE_FORMATS), ...Object.values(VIDEO_FORMATS)];

/** The fast mode's images and videos: constant placeholder answers, each output UUID an alias of its file. */
const createFastEngine = (library: MediaLibrary, store: MediaStore): Pick<MediaEngine, 'image' | 'video' | 'imageUUID' | 'videoUUID'> => {
  const fileOf = (extension: MediaExtension, mime: string) => ({ bytes: Buffer.from(PLACEHOLDER_BASE64[extension], 'base64'), mime });
  for (const { extension, mime } of placeholderFormats()) store.pin(placeholderName(extension), fileOf(extension, mime));
  const urlOf = (extension: MediaExtension) => library.urlOf(placeholderName(extension));
  // Every answer is one of nine constant field sets, built once: the hot path only looks one up.
  const fields = new Map<string, ImageFields>();
  for (const [format, { extension, mime }] of Object.entries(IMAGE_FORMATS)) {
    for (const outputType of OUTPUT_TYPES) {
      fields.set(`${format}/${outputType}`, imageFields(outputType, urlOf(extension), PLACEHOLDER_BASE64[extension], mime));
    }
  }
  const videos = new Map(Object.entries(VIDEO_FORMATS).map(([format, { extension }]) => [format, { videoURL: urlOf(extension) }]));
  return {
    // The UUIDs came from imageUUID()/videoUUID() below, which the library recognises: nothing to register.
    image: ({ format, outputType }) => fields.get(`${format}/${outputType}`)!,
    video: ({ format = 'MP4' }) => videos.get(format)!,
    imageUUID: (format) => library.placeholderUUID(placeholderName(IMAGE_FORMATS[format].extension)),
    videoUUID: (format = 'MP4') => library.placeholderUUID(placeholderName(VIDEO_FORMATS[format].extension)),
  };
};

/** Keeps an image under its UUID (every output type: any image can be a later task's input) and answers as asked. */
const keepImage = (library: MediaLibrary, uuid: string, format: ImageFormat, outputType: OutputType, bytes: Buffer): ImageFields => {
  const { extension, mime } = IMAGE_FORMATS[format];
  const url = library.keep(uuid, { bytes, mime }, extension);
  return imageFields(outputType, url, outputType === 'URL' ? '' : bytes.toString('base64'), mime);
};

/** Images drawn by sharp at the requested size. */
const createRealImages = (library: MediaLibrary, sharp: Sharp): MediaEngine['image'] =>
  async ({ outputType, uuid, ...spec }) => keepImage(library, uuid, spec.format, outputType, await renderImage(sharp, spec));

/**
 * Real media where its packages loaded, placeholders for the rest, behind one interface.
 *
 * @param options What loaded, and where files are kept.
 * @returns The engine.
 */
export const createMediaEngine = (options: MediaEngineOptions): MediaEngine => {
  const { packages: { sharp, createEncoder, audioEncoders, traceToSvg, videoContainers: containers }, baseUrl, store, maxUuids = 100_000 } = options;
  const placeholderNames = placeholderFormats().map(({ extension }) => placeholderName(extension));
  const library = createMediaLibrary({ baseUrl, store, maxEntries: maxUuids, placeholders: placeholderNames });
  // The placeholders are pinned whatever loaded: tool outputs without sharp use them too.
  const placeholders = createFastEngine(library, store);
  const output: MediaEngine['output'] = (uuid, format, outputType, bytes) => {
    if (bytes !== undefined) return keepImage(library, uuid, format, outputType, bytes);
    library.alias(uuid, placeholderName(IMAGE_FORMATS[format].extension));
    return placeholders.image({ format, outputType, uuid, prompt: '', seed: 0, width: 8, height: 8 }) as ImageFields;
  };
  if (sharp === undefined) return { ...placeholders, output, sharp, audioEncoders, traceToSvg, library };
  // Images need only sharp; each video format needs its own packages, and is a placeholder without them.
  const packages = { sharp, createEncoder, containers };
  const real = realVideoFormats(packages);
  const realVideo = createRealVideos(library, options.isClosed, packages);
  return {
    image: createRealImages(library, sharp),
    imageUUID: () => randomUUID(),
    video: ({ format = 'MP4', ...spec }) => (real.has(format) ? realVideo({ ...spec, format }) : placeholders.video({ ...spec, format })),
    videoUUID: (format = 'MP4') => (real.has(format) ? randomUUID() : placeholders.videoUUID(format)),
    output,
    sharp,
    audioEncoders,
    traceToSvg,
    library,
  };
};
