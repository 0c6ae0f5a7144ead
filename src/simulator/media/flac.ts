import { toInt16 } from './audio-synth.js';

/**
 * A FLAC file written without an encoder library: the `fLaC` marker, a STREAMINFO block, then
 * frames of 4096 samples whose subframes are VERBATIM (the format's uncompressed coding, which
 * every decoder reads), 16 bits a sample, left and right coded independently. Lossless and
 * exact in length; larger than a compressing encoder's output, which a simulator does not mind.
 */

const BLOCK = 4096;

/** CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), over a frame header (FLAC format). */
const crc8 = (bytes: Uint8Array, end: number): number => {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
};

/** CRC-16, polynomial x^16 + x^15 + x^2 + 1 (0x8005), over a whole frame (FLAC format). */
const crc16 = (bytes: Uint8Array, end: number): number => {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i]! << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
};

/** A frame number in FLAC's UTF-8-like coding (up to 31 bits here: plenty of frames). */
const codedNumber = (value: number): number[] => {
  if (value < 0x80) return [value];
  if (value < 0x800) return [0xc0 | (value >> 6), 0x80 | (value & 0x3f)];
  if (value < 0x10000) return [0xe0 | (value >> 12), 0x80 | ((value >> 6) & 0x3f), 0x80 | (value & 0x3f)];
  return [0xf0 | (value >> 18), 0x80 | ((value >> 12) & 0x3f), 0x80 | ((value >> 6) & 0x3f), 0x80 | (value & 0x3f)];
};

const streamInfo = (sampleRate: number, channels: number, frames: number): Buffer => {
  const block = Buffer.alloc(4 + 34);
  block[0] = 0x80; // last metadata block, type 0 (STREAMINFO)
  block.writeUIntBE(34, 1, 3);
  block.writeUInt16BE(BLOCK, 4); // minimum block size (the last block may be shorter, as the format allows)
  block.writeUInt16BE(BLOCK, 6); // maximum block size
  // Minimum and maximum frame sizes: 0, unknown. Then 20 bits of rate, 3 of channels − 1, 5 of bits − 1, 36 of frames.
  const high = (sampleRate << 12) | ((channels - 1) << 9) | (15 << 4) | Math.floor(frames / 2 ** 32);
  block.writeUInt32BE(high >>> 0, 14);
  block.writeUInt32BE(frames % 2 ** 32, 18);
  // MD5 of the samples: left 0, which the format defines as "not computed".
  return block;
};

/**
 * Encodes planar samples as FLAC.
 *
 * @param channels One or two channels in [-1, 1], all of the same length.
 * @param sampleRate Frames per second (at most 65 535, written in each frame header).
 * @returns The file.
 */
export const encodeFlac = (channels: readonly Float32Array[], sampleRate: number): Buffer => {
  const frames = channels[0]?.length ?? 0;
  const parts: Buffer[] = [Buffer.from('fLaC', 'ascii'), streamInfo(sampleRate, channels.length, frames)];
  for (let start = 0, index = 0; start < frames; start += BLOCK, index++) {
    const size = Math.min(BLOCK, frames - start);
    const header = [
      0xff,
      0xf8, // sync, fixed block size
      (0x7 << 4) | 0xd, // block size: 16 bits at the end of the header; rate: 16 bits in Hz at the end
      ((channels.length - 1) << 4) | (0x4 << 1), // channels independent; 16 bits a sample
      ...codedNumber(index),
      (size - 1) >> 8,
      (size - 1) & 0xff,
      sampleRate >> 8,
      sampleRate & 0xff,
    ];
    const frame = Buffer.alloc(header.length + 1 + channels.length * (1 + 2 * size) + 2);
    frame.set(header, 0);
    let offset = header.length;
    frame[offset] = crc8(frame, offset);
    offset += 1;
    for (const channel of channels) {
      frame[offset++] = 0x02; // subframe: VERBATIM, no wasted bits
      for (let i = 0; i < size; i++, offset += 2) frame.writeInt16BE(toInt16(channel[start + i]!), offset);
    }
    frame.writeUInt16BE(crc16(frame, offset), offset);
    parts.push(frame);
  }
  return Buffer.concat(parts);
};
