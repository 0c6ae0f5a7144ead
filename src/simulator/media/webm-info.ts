import type { VideoInfo } from './mp4-info.js';

/**
 * What a WebM (or Matroska) file says about itself, read from its EBML elements without decoding
 * anything: the segment's duration (`Info`), the video track's size (`TrackEntry` → `Video`) and
 * the number of its blocks, one per frame. The WebM counterpart of mp4-info.ts, so a WEBM input
 * of a video tool is read as what it is rather than taken as the stand-in.
 *
 * Matroska's element IDs are unique across levels, so the file is read in one flat pass: the
 * masters that hold what is wanted are entered (their children read in place, which also copes
 * with the unknown sizes of live-written segments and clusters), every other element is skipped.
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

const ID = { trackEntry: 0xae, trackNumber: 0xd7, trackType: 0x83, pixelWidth: 0xb0, pixelHeight: 0xba, timecodeScale: 0x2ad7b1, duration: 0x4489, simpleBlock: 0xa3, block: 0xa1 } as const;
const VIDEO_TRACK = 1;

interface Track {
  number?: number;
  type?: number;
  width?: number;
  height?: number;
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
  for (let index = 0; index < size; index++) value = value * 256 + bytes[at + index]!;
  return value;
};

const float = (bytes: Buffer, at: number, size: number): number | undefined => (size === 8 ? bytes.readDoubleBE(at) : size === 4 ? bytes.readFloatBE(at) : undefined);

/**
 * Reads a WebM's header and counts its video blocks.
 *
 * @param bytes The file.
 * @returns Its size, duration and frame count, or undefined when it is no EBML file with a video track and a duration.
 */
export const webmInfo = (bytes: Uint8Array): VideoInfo | undefined => {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 4 || buffer.readUInt32BE(0) !== 0x1a45dfa3) return undefined;
  const tracks: Track[] = [];
  const blocks = new Map<number, number>();
  let scale = 1_000_000;
  let duration: number | undefined;
  for (let at = 0; at < buffer.length; ) {
    const id = vint(buffer, at, true);
    const size = id && vint(buffer, at + id.length, false);
    if (!id || !size) break;
    const body = at + id.length + size.length;
    if (ENTERED.has(id.value)) {
      if (id.value === ID.trackEntry) tracks.push({});
      at = body;
      continue;
    }
    if (size.value < 0 || body + size.value > buffer.length) break;
    const track = tracks.at(-1);
    switch (id.value) {
      case ID.timecodeScale: scale = unsigned(buffer, body, size.value); break;
      case ID.duration: duration = float(buffer, body, size.value); break;
      case ID.trackNumber: if (track) track.number = unsigned(buffer, body, size.value); break;
      case ID.trackType: if (track) track.type = unsigned(buffer, body, size.value); break;
      case ID.pixelWidth: if (track) track.width = unsigned(buffer, body, size.value); break;
      case ID.pixelHeight: if (track) track.height = unsigned(buffer, body, size.value); break;
      case ID.simpleBlock:
      case ID.block: {
        // A block opens with its track's number.
        const number = vint(buffer, body, false);
        if (number) blocks.set(number.value, (blocks.get(number.value) ?? 0) + 1);
        break;
      }
    }
    at = body + size.value;
  }
  const video = tracks.find((track) => track.type === VIDEO_TRACK && track.width !== undefined && track.height !== undefined);
  if (video?.width === undefined || video.height === undefined || duration === undefined || !(duration > 0)) return undefined;
  const frames = video.number === undefined ? undefined : blocks.get(video.number);
  return { width: video.width, height: video.height, seconds: (duration * scale) / 1e9, frames };
};
