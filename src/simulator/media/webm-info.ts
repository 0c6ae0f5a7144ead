import type { VideoInfo } from './mp4-info.js';

/**
 * What a WebM (or Matroska) file says about itself, read from its EBML elements without decoding
 * anything: the segment's duration (`Info`), the video track's size (`TrackEntry` → `Video`) and
 * its frames, counted from its blocks (a laced block holds several). The WebM counterpart of
 * mp4-info.ts, so a WEBM input of a video tool is read as what it is, not taken as the stand-in.
 *
 * Matroska's element IDs are unique across levels, so the file is read in one flat pass: the
 * masters that hold what is wanted are entered (their children read in place, which also copes
 * with the unknown sizes of live-written segments and clusters), every other element is skipped.
 * A file written live has no Duration either: its length is then its last frame's time plus one frame.
 */

const ENTERED = new Set([
  0x18538067, // Segment
  0x1549a966, // Info
  0x1654ae6b, // Tracks
  0xae, // TrackEntry
  0xe0, // Video
  0x1f43b675, // Cluster
  0xa0, // BlockGroup
]);

const ID = {
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  defaultDuration: 0x23e383,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  clusterTimestamp: 0xe7,
  simpleBlock: 0xa3,
  block: 0xa1,
} as const;
const VIDEO_TRACK = 1;
/** TimecodeScale's default (and the value of an empty one, as EBML's defaults go): 1 ms, in ns. */
const DEFAULT_SCALE = 1_000_000;
/** Tracks read at most: a file of empty TrackEntry elements must not grow a list without end. */
const MAX_TRACKS = 64;

interface Track {
  number?: number;
  type?: number;
  width?: number;
  height?: number;
  /** Nanoseconds per frame, when the track says. */
  frameNs?: number | undefined;
}

/** An EBML variable-length integer: its value (the length marker kept for IDs) and its length; unknown sizes are -1. */
const vint = (bytes: Buffer, at: number, isId: boolean): { value: number; length: number } | undefined => {
  if (at >= bytes.length) return undefined;
  const first = bytes[at]!;
  const length = Math.clz32(first) - 23;
  if (length < 1 || length > (isId ? 4 : 8) || at + length > bytes.length) return undefined;
  let value = isId ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index++) {
    const byte = bytes[at + index]!;
    allOnes &&= byte === 0xff;
    value = value * 256 + byte;
  }
  return { value: !isId && allOnes ? -1 : value, length };
};

const unsigned = (bytes: Buffer, at: number, size: number): number => {
  let value = 0;
  for (let index = 0; index < Math.min(size, 8); index++) value = value * 256 + bytes[at + index]!;
  return value;
};

const float = (bytes: Buffer, at: number, size: number): number | undefined => (size === 8 ? bytes.readDoubleBE(at) : size === 4 ? bytes.readFloatBE(at) : undefined);

const isSize = (value: number | undefined): value is number => value !== undefined && Number.isInteger(value) && value > 0;

/** A video track of a known size. */
const isVideo = (track: Track): track is Track & { width: number; height: number } => track.type === VIDEO_TRACK && isSize(track.width) && isSize(track.height);

/** What the blocks of the video track tell: how many frames, and the latest timestamp (in TimecodeScale units). */
interface Blocks {
  frames: number;
  last: number;
}

/** Counts a SimpleBlock or Block of the video track: its frames (laced blocks carry several) and its time. */
const countBlock = (bytes: Buffer, body: number, size: number, track: number, clusterTime: number, blocks: Blocks): void => {
  const number = vint(bytes, body, false);
  // Track number, a 16-bit timestamp relative to the cluster's, then the flags.
  if (number === undefined || number.value !== track || number.length + 3 > size) return;
  const flags = bytes[body + number.length + 2]!;
  const laced = (flags & 0x06) !== 0 && number.length + 4 <= size;
  blocks.frames += laced ? bytes[body + number.length + 3]! + 1 : 1;
  blocks.last = Math.max(blocks.last, clusterTime + bytes.readInt16BE(body + number.length));
};

/**
 * How long the file lasts: its Duration, or, for a file written live (no Duration: a muxer
 * streaming to a pipe, MediaRecorder), the last frame's time plus one frame.
 */
const secondsOf = (duration: number | undefined, scale: number, video: Track, blocks: Blocks): number | undefined => {
  if (duration !== undefined) return Number.isFinite(duration) && duration > 0 ? (duration * scale) / 1e9 : undefined;
  if (blocks.frames === 0) return undefined;
  const lastNs = blocks.last * scale;
  const frameNs = video.frameNs ?? (blocks.frames > 1 ? lastNs / (blocks.frames - 1) : undefined);
  const seconds = frameNs === undefined ? undefined : (lastNs + frameNs) / 1e9;
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
};

/**
 * Reads a WebM's header and counts its video frames.
 *
 * @param bytes The file.
 * @returns Its size, duration and frame count, or undefined when it is no EBML file with a video track of a known size and length.
 */
export const webmInfo = (bytes: Uint8Array): VideoInfo | undefined => {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 4 || buffer.readUInt32BE(0) !== 0x1a45dfa3) return undefined;
  const tracks: Track[] = [];
  let track: Track | undefined;
  /** The video track, chosen at the first block (the tracks come before the clusters). */
  let video: (Track & { width: number; height: number }) | null | undefined;
  const blocks: Blocks = { frames: 0, last: 0 };
  let scale = DEFAULT_SCALE;
  let duration: number | undefined;
  let clusterTime = 0;
  for (let at = 0; at < buffer.length; ) {
    const id = vint(buffer, at, true);
    const size = id && vint(buffer, at + id.length, false);
    if (!id || !size) break;
    const body = at + id.length + size.length;
    if (ENTERED.has(id.value)) {
      if (id.value === ID.trackEntry) {
        track = tracks.length < MAX_TRACKS ? {} : undefined;
        if (track) tracks.push(track);
      }
      at = body;
      continue;
    }
    if (size.value < 0 || body + size.value > buffer.length) break;
    const value = (): number => unsigned(buffer, body, size.value);
    switch (id.value) {
      case ID.timecodeScale: scale = value() || DEFAULT_SCALE; break;
      case ID.duration: duration = float(buffer, body, size.value); break;
      case ID.clusterTimestamp: clusterTime = value(); break;
      case ID.trackNumber: if (track) track.number = value(); break;
      case ID.trackType: if (track) track.type = value(); break;
      case ID.defaultDuration: if (track) track.frameNs = value() || undefined; break;
      case ID.pixelWidth: if (track) track.width = value(); break;
      case ID.pixelHeight: if (track) track.height = value(); break;
      case ID.simpleBlock:
      case ID.block:
        video ??= tracks.find(isVideo) ?? null;
        if (video?.number !== undefined) countBlock(buffer, body, size.value, video.number, clusterTime, blocks);
        break;
    }
    at = body + size.value;
  }
  video ??= tracks.find(isVideo) ?? null;
  if (!video) return undefined;
  const seconds = secondsOf(duration, scale, video, blocks);
  if (seconds === undefined) return undefined;
  return { width: video.width, height: video.height, seconds, frames: blocks.frames > 0 ? blocks.frames : undefined };
};
