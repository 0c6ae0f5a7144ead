/**
 * What an MP4 (or QuickTime) file says about itself in its header boxes, read without decoding
 * anything: the movie's duration (`mvhd`), the video track's size (`tkhd`) and its frame count
 * (`stsz`), hence its frame rate. Enough for the video tools to answer at the input's size and
 * length. Anything unreadable is undefined.
 */
export interface VideoInfo {
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
  readonly frames: number | undefined;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

interface Found {
  duration?: number;
  width?: number;
  height?: number;
  frames?: number;
}

const walk = (bytes: Buffer, start: number, end: number, found: Found, depth: number): void => {
  let offset = start;
  while (offset + 8 <= end && depth < 8) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1 && offset + 16 <= end) {
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) size = end - offset;
    if (size < header || offset + size > end) return;
    const body = offset + header;
    if (CONTAINERS.has(type)) walk(bytes, body, offset + size, found, depth + 1);
    else if (type === 'mvhd' && found.duration === undefined) {
      const version = bytes[body]!;
      const [timescale, duration] = version === 1 ? [bytes.readUInt32BE(body + 20), Number(bytes.readBigUInt64BE(body + 24))] : [bytes.readUInt32BE(body + 12), bytes.readUInt32BE(body + 16)];
      if (timescale > 0) found.duration = duration / timescale;
    } else if (type === 'tkhd' && found.width === undefined) {
      // Width and height are the box's last 8 bytes, 16.16 fixed point; audio tracks say 0.
      const width = bytes.readUInt32BE(offset + size - 8) / 65_536;
      const height = bytes.readUInt32BE(offset + size - 4) / 65_536;
      if (width > 0 && height > 0) [found.width, found.height] = [Math.round(width), Math.round(height)];
    } else if (type === 'stsz' && found.frames === undefined && found.width !== undefined) {
      found.frames = bytes.readUInt32BE(body + 8);
    }
    offset += size;
  }
};

/**
 * Reads an MP4's header.
 *
 * @param bytes The file.
 * @returns Its size, duration and frame count, or undefined when it is no MP4 with a video track.
 */
export const mp4Info = (bytes: Uint8Array): VideoInfo | undefined => {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: Found = {};
  try {
    walk(buffer, 0, buffer.length, found, 0);
  } catch {
    return undefined;
  }
  if (found.width === undefined || found.height === undefined || found.duration === undefined) return undefined;
  return { width: found.width, height: found.height, seconds: found.duration, frames: found.frames };
};
