import { VIDEO_FORMAT_NAMES, type VideoFormat } from './formats.js';
import type { MediaPackages } from './optional-deps.js';
import { realVideoFormats } from './real-videos.js';

/** What a running simulator serves for each kind of media. */
export interface SimulatorMedia {
  /** `real`: drawn and encoded at the requested size and format; `placeholder`: one tiny file per format. */
  readonly images: 'real' | 'placeholder';
  /** MP4, the default format: `real`, a playable video of the scene; `placeholder`, a one-frame 16×16 MP4. */
  readonly videos: 'real' | 'placeholder';
  /**
   * Each `outputFormat` of a video on its own: MP4 needs sharp and `h264-mp4-encoder`, WEBM sharp
   * and `mediabunny`, MOV all three.
   */
  readonly videoFormats: Readonly<Record<'MP4' | 'WEBM' | 'MOV', 'real' | 'placeholder'>>;
  /**
   * Optional packages that real media needed and that could not be loaded (none in fast mode):
   * without `wasm-media-encoders` MP3 and OGG audio are placeholders (WAV and FLAC stay real),
   * without `imagetracerjs` `vectorize` answers a placeholder SVG, without `mediabunny` WEBM and
   * MOV videos are placeholders.
   */
  readonly missing: readonly ('sharp' | 'h264-mp4-encoder' | 'wasm-media-encoders' | 'imagetracerjs' | 'mediabunny')[];
}

/** The video formats that are real with these packages (none without sharp: it draws the frames). */
const realFormatsOf = (packages: MediaPackages): ReadonlySet<VideoFormat> =>
  packages.sharp === undefined ? new Set() : realVideoFormats({ sharp: packages.sharp, createEncoder: packages.createEncoder, containers: packages.videoContainers });

/**
 * What is served, from what was asked for and what loaded: images need sharp, videos need sharp
 * (for the frames) and the packages of their container.
 *
 * @param packages The loaded packages ({@link NO_MEDIA_PACKAGES} in fast mode).
 * @returns The media status.
 */
export const mediaStatusOf = (packages: MediaPackages): SimulatorMedia => {
  const real = realFormatsOf(packages);
  const videoFormats = Object.fromEntries(VIDEO_FORMAT_NAMES.map((name) => [name, real.has(name) ? 'real' : 'placeholder'])) as Record<VideoFormat, 'real' | 'placeholder'>;
  return { images: packages.sharp === undefined ? 'placeholder' : 'real', videos: videoFormats.MP4, videoFormats, missing: packages.missing.map((missing) => missing.name) };
};

/** The formats of one status, in the order of {@link VIDEO_FORMAT_NAMES}. */
const formatsThatAre = (videoFormats: SimulatorMedia['videoFormats'], kind: 'real' | 'placeholder'): VideoFormat[] => VIDEO_FORMAT_NAMES.filter((name) => videoFormats[name] === kind);

const and = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * The videos served, in a few words for a start-up line: "real videos", or per format when they
 * differ ("real WEBM, placeholder MP4/MOV videos").
 *
 * @param status The media status.
 * @returns The words.
 */
export const videosInWords = ({ videoFormats }: SimulatorMedia): string => {
  const [real, placeholder] = [formatsThatAre(videoFormats, 'real'), formatsThatAre(videoFormats, 'placeholder')];
  if (real.length === 0 || placeholder.length === 0) return `${real.length === 0 ? 'placeholder' : 'real'} videos`;
  return `real ${real.join('/')}, placeholder ${placeholder.join('/')} videos`;
};

/** What is real and what is a placeholder, in words: "real images and MP4 videos, but placeholder WEBM and MOV videos". */
const servedPhrase = (status: SimulatorMedia): string => {
  const videos = (kind: 'real' | 'placeholder'): string[] => {
    const formats = formatsThatAre(status.videoFormats, kind);
    return formats.length === 0 ? [] : [`${and(formats)} videos`];
  };
  const real = status.images === 'real' ? ['images', ...videos('real')] : [];
  // Without sharp nothing is drawn: every video is a placeholder, whatever its format.
  const placeholderVideos = status.images === 'placeholder' ? ['videos'] : videos('placeholder');
  const placeholders = [
    ...(status.images === 'placeholder' ? ['images'] : []),
    ...placeholderVideos,
    ...(status.missing.includes('wasm-media-encoders') ? ['MP3/OGG audio'] : []),
    ...(status.missing.includes('imagetracerjs') ? ['SVG tracings'] : []),
  ];
  if (real.length === 0) return `placeholder ${and(placeholders)}`;
  return `real ${and(real)}${placeholders.length === 0 ? '' : `, but placeholder ${and(placeholders)}`}`;
};

/**
 * The start-up notice when real media was asked for and a package is missing: what is served
 * instead, why, and how to get real media or silence the notice.
 *
 * @param packages The loaded packages.
 * @returns The notice, or `undefined` when nothing is missing.
 */
export const missingMediaNotice = (packages: MediaPackages): string | undefined => {
  const { missing } = packages;
  if (missing.length === 0) return undefined;
  const absent = missing.filter(({ installed }) => !installed).map(({ name }) => name);
  const why = [
    ...(absent.length === 0 ? [] : [`the optional package${absent.length > 1 ? 's' : ''} ${and(absent)} ${absent.length > 1 ? 'are' : 'is'} not installed`]),
    ...missing.filter(({ installed }) => installed).map(({ name, reason }) => `"${name}" could not be loaded (${reason})`),
  ].join('; ');
  const install = `npm install --save-dev ${missing.map(({ name }) => name).join(' ')}`;
  return `serving ${servedPhrase(mediaStatusOf(packages))}: ${why}. For real media: ${install}. For placeholders without this notice: media: false (CLI: --fast).`;
};
