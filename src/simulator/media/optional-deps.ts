import type SharpModule from 'sharp';
import type { H264MP4Encoder } from 'h264-mp4-encoder';

/** The `sharp` factory function. */
export type Sharp = typeof SharpModule;

/** `createH264MP4Encoder` from h264-mp4-encoder. */
export type CreateEncoder = () => Promise<H264MP4Encoder>;

const INSTALL_HINT =
  'Install the optional media packages with `npm i -D sharp h264-mp4-encoder`, ' +
  'or start the simulator with `media: false` (CLI: --fast) to serve placeholder files instead.';

const missing = (name: string, cause: unknown): Error =>
  new Error(`runware-rx simulator: the optional package "${name}" could not be loaded. ${INSTALL_HINT}`, { cause });

/**
 * Loads sharp on first use. Imported dynamically so that importing the simulator (or running it in
 * fast mode) never requires the native module.
 */
export const loadSharp = async (): Promise<Sharp> => {
  try {
    return (await import('sharp')).default;
  } catch (cause) {
    throw missing('sharp', cause);
  }
};

/** Loads the WASM H.264 encoder on first use (it compiles its WASM module when imported). */
export const loadEncoder = async (): Promise<CreateEncoder> => {
  try {
    const module: { createH264MP4Encoder?: CreateEncoder; default?: { createH264MP4Encoder?: CreateEncoder } } =
      await import('h264-mp4-encoder');
    // The package is CommonJS built by webpack, so Node exposes it only as the default export.
    const create = module.createH264MP4Encoder ?? module.default?.createH264MP4Encoder;
    if (create === undefined) throw new TypeError('createH264MP4Encoder is not exported');
    return create;
  } catch (cause) {
    throw missing('h264-mp4-encoder', cause);
  }
};
