import type SharpModule from 'sharp';
import type { H264MP4Encoder } from 'h264-mp4-encoder';
import { containersFrom, type VideoContainers } from './video-containers.js';

/** The `sharp` factory function. */
export type Sharp = typeof SharpModule;

/** `createH264MP4Encoder` from h264-mp4-encoder. */
export type CreateEncoder = () => Promise<H264MP4Encoder>;

/** An audio encoder of wasm-media-encoders: configure, feed planar float PCM, finalize. */
export interface AudioEncoder {
  configure(params: { channels: 1 | 2; sampleRate: number; bitrate?: number; vbrQuality?: number; oggSerialNo?: number }): void;
  /** The bytes returned belong to the encoder until the next call: copy them. */
  encode(samples: readonly Float32Array[]): Uint8Array;
  finalize(): Uint8Array;
}

/** The lossy audio encoders (LAME MP3, Ogg Vorbis), each created afresh per file. */
export interface AudioEncoders {
  readonly mp3: () => Promise<AudioEncoder>;
  readonly ogg: () => Promise<AudioEncoder>;
}

/** imagetracerjs's tracer: RGBA pixels in, an SVG document out. */
export type TraceToSvg = (image: { width: number; height: number; data: Uint8ClampedArray }, options: Record<string, unknown>) => string;

/** The optional peer dependencies real media needs. */
export type MediaPackageName = 'sharp' | 'h264-mp4-encoder' | 'wasm-media-encoders' | 'imagetracerjs' | 'mediabunny';

/** One optional package that could not be loaded, and the loader's first line of why. */
export interface MissingPackage {
  readonly name: MediaPackageName;
  readonly reason: string;
  /** False when the package itself is not there (Node found no such package); true when it is but failed to load. */
  readonly installed: boolean;
}

/**
 * What loaded: sharp draws images and video frames, the encoder turns frames into an MP4, the
 * audio encoders make MP3 and OGG (WAV and FLAC need nothing), the tracer makes `vectorize`'s SVG,
 * the containers put video frames in WEBM and MOV files.
 */
export interface MediaPackages {
  readonly sharp: Sharp | undefined;
  readonly createEncoder: CreateEncoder | undefined;
  readonly audioEncoders?: AudioEncoders | undefined;
  readonly traceToSvg?: TraceToSvg | undefined;
  readonly videoContainers?: VideoContainers | undefined;
  readonly missing: readonly MissingPackage[];
}

/**
 * How each package is imported: the seam through which tests make one missing. The imports are
 * written out so that tools see them; they are dynamic so that importing the simulator (or
 * running it in fast mode) never needs the native module or compiles the WASM encoder.
 */
export interface MediaPackageLoaders {
  readonly sharp: () => Promise<unknown>;
  readonly encoder: () => Promise<unknown>;
  /** Default: `import('wasm-media-encoders')`. */
  readonly audio?: () => Promise<unknown>;
  /** Default: `import('imagetracerjs')`. */
  readonly tracer?: () => Promise<unknown>;
  /** Default: `import('mediabunny')`. */
  readonly containers?: () => Promise<unknown>;
}

/**
 * Imports a module and takes back the process-wide handlers it installed on the way. The encoder
 * is built with Emscripten, whose Node glue adds `uncaughtException` (rethrow) and
 * `unhandledRejection` (abort) listeners when imported: any unhandled rejection anywhere in the
 * process, however harmless, then killed it with "RuntimeError: abort(undefined)". A simulator
 * running inside someone's test process must leave Node's own behaviour alone.
 */
const withoutProcessHandlers = async (load: () => Promise<unknown>): Promise<unknown> => {
  const exceptions = new Set(process.listeners('uncaughtException'));
  const rejections = new Set(process.listeners('unhandledRejection'));
  try {
    return await load();
  } finally {
    for (const listener of process.listeners('uncaughtException')) if (!exceptions.has(listener)) process.removeListener('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection')) if (!rejections.has(listener)) process.removeListener('unhandledRejection', listener);
  }
};

const DEFAULT_LOADERS = {
  sharp: () => import('sharp'),
  encoder: () => withoutProcessHandlers(() => import('h264-mp4-encoder')),
  audio: () => import('wasm-media-encoders'),
  // @ts-expect-error imagetracerjs ships no types; tracerFrom checks the one function it uses.
  tracer: () => import('imagetracerjs'),
  containers: () => import('mediabunny'),
} satisfies Required<MediaPackageLoaders>;

/** No packages: fast mode, where nothing is loaded or tried. */
export const NO_MEDIA_PACKAGES: MediaPackages = { sharp: undefined, createEncoder: undefined, audioEncoders: undefined, traceToSvg: undefined, videoContainers: undefined, missing: [] };

const sharpFrom = (module: unknown): Sharp => {
  const sharp = (module as { default?: unknown }).default;
  if (typeof sharp !== 'function') throw new TypeError('the module has no default export function');
  return sharp as Sharp;
};

const encoderFrom = (module: unknown): CreateEncoder => {
  // The package is CommonJS built by webpack, so Node exposes it only as the default export.
  const shaped = module as { createH264MP4Encoder?: unknown; default?: { createH264MP4Encoder?: unknown } };
  const create = shaped.createH264MP4Encoder ?? shaped.default?.createH264MP4Encoder;
  if (typeof create !== 'function') throw new TypeError('createH264MP4Encoder is not exported');
  return create as CreateEncoder;
};

const audioEncodersFrom = (module: unknown): AudioEncoders => {
  const { createMp3Encoder, createOggEncoder } = module as { createMp3Encoder?: unknown; createOggEncoder?: unknown };
  if (typeof createMp3Encoder !== 'function' || typeof createOggEncoder !== 'function') throw new TypeError('createMp3Encoder or createOggEncoder is not exported');
  return { mp3: createMp3Encoder as AudioEncoders['mp3'], ogg: createOggEncoder as AudioEncoders['ogg'] };
};

const tracerFrom = (module: unknown): TraceToSvg => {
  // A CommonJS module whose export is an object with methods: Node gives it as the default export.
  const shaped = module as { imagedataToSVG?: unknown; default?: { imagedataToSVG?: unknown } };
  const owner = typeof shaped.imagedataToSVG === 'function' ? shaped : shaped.default;
  const trace = owner?.imagedataToSVG;
  if (typeof trace !== 'function') throw new TypeError('imagedataToSVG is not exported');
  return (image, options) => (trace as (this: unknown, ...args: unknown[]) => string).call(owner, image, options);
};

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** Node's error for an import of a package that is not installed (not of a module it lacks inside). */
const isNotInstalled = (error: unknown, name: string): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && firstLine(error).includes(`'${name}'`);
};

const attempt = async <T>(name: MediaPackageName, load: () => Promise<unknown>, read: (module: unknown) => T) => {
  try {
    return { value: read(await load()) };
  } catch (error) {
    return { missing: { name, reason: firstLine(error), installed: !isNotInstalled(error, name) } };
  }
};

/**
 * Loads the optional media packages once, at start, so that a missing or broken one (sharp
 * without a binary for this platform) is known before the first task instead of failing it.
 *
 * @param loaders How to import each package; the default imports them by name.
 * @returns The packages that loaded, and why the others did not.
 */
export const loadMediaPackages = async (loaders: MediaPackageLoaders = DEFAULT_LOADERS): Promise<MediaPackages> => {
  const [sharp, encoder, audio, tracer, containers] = await Promise.all([
    attempt('sharp', loaders.sharp, sharpFrom),
    attempt('h264-mp4-encoder', loaders.encoder, encoderFrom),
    attempt('wasm-media-encoders', loaders.audio ?? DEFAULT_LOADERS.audio, audioEncodersFrom),
    attempt('imagetracerjs', loaders.tracer ?? DEFAULT_LOADERS.tracer, tracerFrom),
    attempt('mediabunny', loaders.containers ?? DEFAULT_LOADERS.containers, containersFrom),
  ]);
  return {
    sharp: sharp.value,
    createEncoder: encoder.value,
    audioEncoders: audio.value,
    traceToSvg: tracer.value,
    videoContainers: containers.value,
    missing: [sharp.missing, encoder.missing, audio.missing, tracer.missing, containers.missing].filter((missing) => missing !== undefined),
  };
};
