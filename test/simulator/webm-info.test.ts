import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_BASE64 } from '../../src/simulator/media/placeholders.js';
import { webmInfo } from '../../src/simulator/media/webm-info.js';

/*
 * webmInfo reads a WEBM's size, length and frame count from its EBML elements, as mp4Info does
 * an MP4's boxes: the simulator's own fast-mode placeholder (written by mediabunny), the same
 * file as a live muxer writes it (segment and cluster of unknown size), and what is no WEBM.
 */

const placeholder = Buffer.from(PLACEHOLDER_BASE64.webm, 'base64');

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

  it('is undefined for what is no WEBM, or a WEBM cut before its tracks', () => {
    expect(webmInfo(Buffer.from(PLACEHOLDER_BASE64.mp4, 'base64'))).toBeUndefined();
    expect(webmInfo(new Uint8Array(0))).toBeUndefined();
    expect(webmInfo(placeholder.subarray(0, 60))).toBeUndefined();
  });
});
