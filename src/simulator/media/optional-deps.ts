import type SharpModule from 'sharp';
import type { H264MP4Encoder } from 'h264-mp4-encoder';

/** The `sharp` factory function. */
export type Sharp = typeof SharpModule;

/** `createH264MP4Encoder` from h264-mp4-encoder. */
export type CreateEncoder = () => Promise<H264MP4Encoder>;

/** The optional peer dependencies real media needs. */
export type MediaPackageName = 'sharp' | 'h264-mp4-encoder';

/** One optional package that could not be loaded, and the loader's first line of why. */
export interface MissingPackage {
  readonly name: MediaPackageName;
  readonly reason: string;
}

/** What loaded: sharp draws images and video frames, the encoder turns frames into an MP4. */
export interface MediaPackages {
  readonly sharp: Sharp | undefined;
  readonly createEncoder: CreateEncoder | undefined;
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

const DEFAULT_LOADERS: MediaPackageLoaders = {
  sharp: () => import('sharp'),
  encoder: () => withoutProcessHandlers(() => import('h264-mp4-encoder')),
};

/** No packages: fast mode, where nothing is loaded or tried. */
export const NO_MEDIA_PACKAGES: MediaPackages = { sharp: undefined, createEncoder: undefined, missing: [] };

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

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

const attempt = async <T>(name: MediaPackageName, load: () => Promise<unknown>, read: (module: unknown) => T) => {
  try {
    return { value: read(await load()) };
  } catch (error) {
    return { missing: { name, reason: firstLine(error) } };
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
  const [sharp, encoder] = await Promise.all([
    attempt('sharp', loaders.sharp, sharpFrom),
    attempt('h264-mp4-encoder', loaders.encoder, encoderFrom),
  ]);
  return {
    sharp: sharp.value,
    createEncoder: encoder.value,
    missing: [sharp.missing, encoder.missing].filter((missing) => missing !== undefined),
  };
};
