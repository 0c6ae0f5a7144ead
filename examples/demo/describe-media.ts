import { imageSize } from 'image-size';

/*
 * What a saved file really is, read from its bytes rather than from the request: a server may
 * answer a 1280×720 request with a smaller video, and a simulator without its media packages
 * answers with tiny placeholders.
 */

/** A box of an ISO media (MP4) file: its four-letter type and where its content lies. */
interface Box {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

function* boxes(bytes: Buffer, start: number, end: number): Generator<Box> {
  for (let offset = start; offset + 8 <= end; ) {
    let size = bytes.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) return;
    yield { type: bytes.toString('latin1', offset + 4, offset + 8), start: offset + header, end: offset + size };
    offset += size;
  }
}

const child = (bytes: Buffer, parent: Box | undefined, type: string): Box | undefined => {
  if (parent === undefined) return undefined;
  for (const box of boxes(bytes, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
};

/** Size, length and frame count of the first video track, from the moov box. */
function describeMp4(bytes: Buffer): string {
  const file: Box = { type: 'file', start: 0, end: bytes.length };
  const moov = child(bytes, file, 'moov');
  const mvhd = child(bytes, moov, 'mvhd');
  const tkhd = child(bytes, child(bytes, moov, 'trak'), 'tkhd');
  if (mvhd === undefined || tkhd === undefined) return 'MP4 (unreadable header)';
  const version = bytes.readUInt8(mvhd.start);
  const timescale = bytes.readUInt32BE(mvhd.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(bytes.readBigUInt64BE(mvhd.start + 24)) : bytes.readUInt32BE(mvhd.start + 16);
  // Width and height close the track header, as 16.16 fixed-point numbers.
  const width = bytes.readUInt32BE(tkhd.end - 8) >>> 16;
  const height = bytes.readUInt32BE(tkhd.end - 4) >>> 16;
  const stbl = child(bytes, child(bytes, child(bytes, child(bytes, moov, 'trak'), 'mdia'), 'minf'), 'stbl');
  const stsz = child(bytes, stbl, 'stsz');
  const frames = stsz === undefined ? undefined : bytes.readUInt32BE(stsz.start + 8);
  const seconds = timescale > 0 ? `, ${(duration / timescale).toFixed(1)} s` : '';
  return `MP4 ${width}×${height}${seconds}${frames === undefined ? '' : `, ${frames} frame${frames === 1 ? '' : 's'}`}`;
}

/**
 * Describes a generated file by what it contains.
 *
 * @param bytes The file's bytes.
 * @param extension Its extension (`png`, `jpg`, `webp`, `mp4`...).
 * @returns E.g. `PNG 1024×1024` or `MP4 480×270, 2.0 s, 24 frames`.
 */
export function describeMedia(bytes: Buffer, extension: string): string {
  if (extension === 'mp4') return describeMp4(bytes);
  try {
    const { type, width, height } = imageSize(bytes);
    return `${(type ?? extension).toUpperCase()} ${width}×${height}`;
  } catch {
    return `${extension.toUpperCase()} (unreadable header)`;
  }
}
