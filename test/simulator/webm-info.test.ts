import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_BASE64 } from '../../src/simulator/media/placeholders.js';
import { webmInfo } from '../../src/simulator/media/webm-info.js';

/*
 * webmInfo reads a WEBM's size, length and frame count from its EBML elements, as mp4Info does
 * an MP4's boxes: the simulator's own fast-mode placeholder (written by mediabunny), files ffmpeg
 * wrote (live, to a pipe; an audio track first: see fixtures/README.md), the placeholder patched
 * into what other muxers write (another TimecodeScale, a 4-byte Duration, laced blocks), and what
 * is no WEBM or carries values no video has.
 */

const placeholder = Buffer.from(PLACEHOLDER_BASE64.webm, 'base64');
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

/** The placeholder with `from` (hex) replaced by `to` (hex, the same length), which must occur once. */
const patched = (from: string, to: string): Buffer => {
  const hex = placeholder.toString('hex');
  expect(hex.split(from)).toHaveLength(2);
  expect(to).toHaveLength(from.length);
  return Buffer.from(hex.replace(from, to), 'hex');
};
// The placeholder's elements, as mediabunny wrote them.
const TIMECODE_SCALE_1MS = '2ad7b1830f4240';
const DURATION_OF_8_BYTES = /4489(88[0-9a-f]{16})/.exec(placeholder.toString('hex'))![0];
/** The cluster's timestamp 0, then its SimpleBlock's header: track 1, time 0, flags 0x80 (a key frame), and its first byte of frame. */
const FIRST_BLOCK = 'e78100a31000003881000080' + '30';

/** The placeholder with its Segment's and Clusters' sizes rewritten as "unknown" (all ones, same length). */
const withUnknownSizes = (file: Buffer): Buffer => {
  const copy = Buffer.from(file);
  for (const id of [0x18538067, 0x1f43b675]) {
    const tag = Buffer.alloc(4);
    tag.writeUInt32BE(id);
    for (let at = copy.indexOf(tag); at >= 0; at = copy.indexOf(tag, at + 4)) {
      // The size's first byte keeps its length marker; every value bit after it becomes 1.
      const length = Math.clz32(copy[at + 4]!) - 23;
      copy[at + 4] = 0xff >> (length - 1);
      copy.fill(0xff, at + 5, at + 4 + length);
    }
  }
  return copy;
};

describe('webmInfo', () => {
  it('reads the size, duration and frame count of the one-frame 16×16 placeholder', () => {
    const info = webmInfo(placeholder);
    expect(info).toMatchObject({ width: 16, height: 16, frames: 1 });
    expect(info!.seconds).toBeGreaterThan(0);
  });

  it('reads a file whose segment and clusters are of unknown size, as a live muxer writes them', () => {
    const live = withUnknownSizes(placeholder);
    expect(live.equals(placeholder)).toBe(false);
    expect(webmInfo(live)).toEqual(webmInfo(placeholder));
  });

  it('reads a file written live (to a pipe: no Duration, sizes unknown) as its last frame’s time plus one frame', () => {
    const info = webmInfo(fixture('live.webm'));
    expect(info).toMatchObject({ width: 64, height: 48, frames: 12 });
    expect(info!.seconds).toBeCloseTo(1, 2);
  });

  it('takes the video track when an audio track comes first, and counts only its frames', () => {
    expect(webmInfo(fixture('audio-first.webm'))).toEqual({ width: 64, height: 48, seconds: 1.008, frames: 12 });
  });

  it('reads the Duration in units of the TimecodeScale, the default 1 ms when the scale is empty, and a Duration of 4 bytes', () => {
    const seconds = webmInfo(placeholder)!.seconds;
    // 2 ms: 0x1e8480 ns.
    expect(webmInfo(patched(TIMECODE_SCALE_1MS, '2ad7b1831e8480'))!.seconds).toBeCloseTo(2 * seconds, 9);
    // An empty scale and a Void element (EC, one byte of nothing) in the bytes it freed.
    expect(webmInfo(patched(TIMECODE_SCALE_1MS, '2ad7b180ec8100'))!.seconds).toBeCloseTo(seconds, 9);
    const asFloat = Buffer.alloc(4);
    asFloat.writeFloatBE(seconds * 1000);
    expect(webmInfo(patched(DURATION_OF_8_BYTES, `448984${asFloat.toString('hex')}ec820000`))!.seconds).toBeCloseTo(seconds, 6);
  });

  it('counts every frame of a laced block', () => {
    // Xiph lacing (flags 0x02): the byte after the flags is the number of frames less one.
    expect(webmInfo(patched(FIRST_BLOCK, 'e78100a31000003881000082' + '02'))).toMatchObject({ frames: 3 });
  });

  it('is undefined for a video of no size or of endless length, which no tool could answer for', () => {
    expect(webmInfo(patched('b08110', 'b08100'))).toBeUndefined();
    const infinity = Buffer.alloc(8);
    infinity.writeDoubleBE(Number.POSITIVE_INFINITY);
    expect(webmInfo(patched(DURATION_OF_8_BYTES, `448988${infinity.toString('hex')}`))).toBeUndefined();
  });

  it('reads a file of a million empty track entries as no video, without keeping them all', () => {
    const entries = Buffer.alloc(2_000_000, Buffer.from('ae80', 'hex'));
    expect(webmInfo(Buffer.concat([placeholder.subarray(0, 4), Buffer.from('80', 'hex'), entries]))).toBeUndefined();
  });

  it('is undefined for what is no WEBM, or a WEBM cut before its tracks', () => {
    expect(webmInfo(Buffer.from(PLACEHOLDER_BASE64.mp4, 'base64'))).toBeUndefined();
    expect(webmInfo(new Uint8Array(0))).toBeUndefined();
    expect(webmInfo(placeholder.subarray(0, 60))).toBeUndefined();
  });
});
