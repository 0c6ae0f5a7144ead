import { imageSize } from 'image-size';

/*
 * What a saved file really is, read from its bytes rather than from the request: a server may
 * answer a 1280×720 request with a smaller video, and a simulator without its media packages
 * answers with tiny placeholders.
 */

/** A picture's size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** What a file contains: its words for a person, and its size when it has one. */
export interface MediaFacts {
  /** E.g. `PNG 1024×1024` or `MP4 480×270, 2.0 s, 24 frames`. */
  readonly label: string;
  readonly size?: Size;
}

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
function describeMp4(bytes: Buffer): MediaFacts {
  const file: Box = { type: 'file', start: 0, end: bytes.length };
  const moov = child(bytes, file, 'moov');
  const mvhd = child(bytes, moov, 'mvhd');
  const tkhd = child(bytes, child(bytes, moov, 'trak'), 'tkhd');
  if (mvhd === undefined || tkhd === undefined) return { label: 'MP4 (unreadable header)' };
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
  return { label: `MP4 ${width}×${height}${seconds}${frames === undefined ? '' : `, ${frames} frame${frames === 1 ? '' : 's'}`}`, size: { width, height } };
}

/**
 * Describes a generated file by what it contains.
 *
 * @param bytes The file's bytes.
 * @param extension Its extension (`png`, `jpg`, `webp`, `mp4`...).
 * @returns Its label (`PNG 1024×1024`, `MP4 480×270, 2.0 s, 24 frames`) and its size.
 */
export function describeMedia(bytes: Buffer, extension: string): MediaFacts {
  if (extension === 'mp4') return describeMp4(bytes);
  try {
    const { type, width, height } = imageSize(bytes);
    return { label: `${(type ?? extension).toUpperCase()} ${width}×${height}`, size: { width, height } };
  } catch {
    return { label: `${extension.toUpperCase()} (unreadable header)` };
  }
}

/**
 * The note a file gets when it is not of the size asked for (a server may make a video smaller
 * than asked, as the simulator's encoder does), so the user is not left to compare the numbers.
 *
 * @param made The file's size, when it could be read.
 * @param asked The size the request asked for; a side it left out is not compared.
 * @returns E.g. `not the 1280×720 asked for`; `undefined` when the size is the one asked for, or unknown.
 */
export function sizeNote(made: Size | undefined, asked: { readonly width?: number | null | undefined; readonly height?: number | null | undefined }): string | undefined {
  const { width, height } = asked;
  if (made === undefined || width == null || height == null) return undefined;
  return made.width === width && made.height === height ? undefined : `not the ${width}×${height} asked for`;
}

/**
 * A label with its notes after it, in one parenthesis: `MP4 16×16 (placeholder; not the 1280×720 asked for)`.
 *
 * @param label What the file contains.
 * @param notes The notes that apply; `undefined` ones are left out.
 * @returns The label, noted.
 */
export function noted(label: string, notes: readonly (string | undefined)[]): string {
  const given = notes.filter((note): note is string => note !== undefined);
  return given.length === 0 ? label : `${label} (${given.join('; ')})`;
}
