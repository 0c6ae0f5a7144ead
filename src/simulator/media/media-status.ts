import type { MediaPackageName, MediaPackages } from './optional-deps.js';

/** What a running simulator serves for each kind of media. */
export interface SimulatorMedia {
  /** `real`: drawn and encoded at the requested size and format; `placeholder`: one tiny file per format. */
  readonly images: 'real' | 'placeholder';
  /**
   * `real`: a playable MP4 of the scene; `placeholder`: a one-frame 16×16 MP4. WEBM and MOV are
   * real too when `mediabunny` loaded (a WEBM needs only it and sharp), placeholders otherwise.
   */
  readonly videos: 'real' | 'placeholder';
  /**
   * Optional packages that real media needed and that could not be loaded (none in fast mode):
   * without `wasm-media-encoders` MP3 and OGG audio are placeholders (WAV and FLAC stay real),
   * without `imagetracerjs` `vectorize` answers a placeholder SVG, without `mediabunny` WEBM and
   * MOV videos are placeholders.
   */
  readonly missing: readonly ('sharp' | 'h264-mp4-encoder' | 'wasm-media-encoders' | 'imagetracerjs' | 'mediabunny')[];
}

/** The one command that gives the simulator real images and videos. */
export const MEDIA_INSTALL_COMMAND = 'npm install --save-dev sharp h264-mp4-encoder';

/** The packages of the other media, named in the notice only when one of them is missing. */
const OTHER_MEDIA_PACKAGES: readonly MediaPackageName[] = ['wasm-media-encoders', 'imagetracerjs', 'mediabunny'];

/**
 * What is served, from what was asked for and what loaded: images need sharp, videos need sharp
 * (for the frames) and the encoder.
 *
 * @param packages The loaded packages ({@link NO_MEDIA_PACKAGES} in fast mode).
 * @returns The media status.
 */
export const mediaStatusOf = (packages: MediaPackages): SimulatorMedia => ({
  images: packages.sharp === undefined ? 'placeholder' : 'real',
  videos: packages.sharp === undefined || packages.createEncoder === undefined ? 'placeholder' : 'real',
  missing: packages.missing.map((missing) => missing.name),
});

/**
 * The start-up notice when real media was asked for and a package is missing: what is served
 * instead, why, and how to get real media or silence the notice.
 *
 * @param packages The loaded packages.
 * @returns The notice, or `undefined` when nothing is missing.
 */
export const missingMediaNotice = (packages: MediaPackages): string | undefined => {
  if (packages.missing.length === 0) return undefined;
  const status = mediaStatusOf(packages);
  const served =
    status.images === 'placeholder'
      ? 'placeholder images and videos'
      : status.videos === 'placeholder'
        ? 'real images, but placeholder videos'
        : 'real images and videos, but placeholder MP3/OGG audio, SVG tracings or WEBM/MOV videos';
  const why = packages.missing
    .map(({ name, reason }) => `the optional package "${name}" could not be loaded (${reason})`)
    .join('; ');
  const others = OTHER_MEDIA_PACKAGES.filter((name) => status.missing.includes(name));
  const install = others.length === 0 ? MEDIA_INSTALL_COMMAND : `${MEDIA_INSTALL_COMMAND} ${others.join(' ')}`;
  return `serving ${served}: ${why}. For real media: ${install}. For placeholders without this notice: media: false (CLI: --fast).`;
};
