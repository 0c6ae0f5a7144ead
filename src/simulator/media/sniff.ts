/**
 * What a file is, from its first bytes (its "magic"): the server sniffs the format of what it is
 * sent, whatever a data URI's MIME type claims (ts-new sends raw base64 with no type at all).
 */

/** The broad kind of a file: image inputs must be images; `mediaStorage` keeps any kind. */
export type FileKind = 'image' | 'video' | 'audio' | 'model' | 'other';

/** A sniffed format. */
export interface SniffedFormat {
  readonly kind: FileKind;
  readonly extension: string;
  readonly mime: string;
}

/** What a file of unknown format is served as. */
export const UNKNOWN_FORMAT: SniffedFormat = { kind: 'other', extension: 'bin', mime: 'application/octet-stream' };

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** ISO base media (MP4, MOV, AVIF, HEIC): `ftyp` at offset 4, then the major brand. */
const isoFormat = (brand: string): SniffedFormat => {
  if (brand === 'avif' || brand === 'avis') return { kind: 'image', extension: 'avif', mime: 'image/avif' };
  if (brand === 'heic' || brand === 'heix' || brand === 'mif1') return { kind: 'image', extension: 'heic', mime: 'image/heic' };
  if (brand === 'qt  ') return { kind: 'video', extension: 'mov', mime: 'video/quicktime' };
  if (brand.startsWith('M4A')) return { kind: 'audio', extension: 'm4a', mime: 'audio/mp4' };
  return { kind: 'video', extension: 'mp4', mime: 'video/mp4' };
};

const looksLikeSvg = (bytes: Uint8Array): boolean => {
  const head = ascii(bytes, 0, Math.min(bytes.length, 512)).trimStart();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
};

/**
 * Sniffs the format of a file.
 *
 * @param bytes The file.
 * @returns Its format, or {@link UNKNOWN_FORMAT}.
 */
export const sniffFormat = (bytes: Uint8Array): SniffedFormat => {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a) return { kind: 'image', extension: 'png', mime: 'image/png' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'image', extension: 'jpg', mime: 'image/jpeg' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { kind: 'image', extension: 'webp', mime: 'image/webp' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE') return { kind: 'audio', extension: 'wav', mime: 'audio/wav' };
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return { kind: 'image', extension: 'gif', mime: 'image/gif' };
  if (b.length >= 4 && ((ascii(b, 0, 2) === 'II' && b[2] === 42 && b[3] === 0) || (ascii(b, 0, 2) === 'MM' && b[2] === 0 && b[3] === 42))) {
    return { kind: 'image', extension: 'tiff', mime: 'image/tiff' };
  }
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') return isoFormat(ascii(b, 8, 12));
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return { kind: 'video', extension: 'webm', mime: 'video/webm' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'fLaC') return { kind: 'audio', extension: 'flac', mime: 'audio/flac' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'OggS') return { kind: 'audio', extension: 'ogg', mime: 'audio/ogg' };
  if (b.length >= 3 && (ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0))) return { kind: 'audio', extension: 'mp3', mime: 'audio/mpeg' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'glTF') return { kind: 'model', extension: 'glb', mime: 'model/gltf-binary' };
  // BMP last among the two-byte magics: "BM" is common text, so it needs its header size to agree.
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM' && b[14]! >= 12) return { kind: 'image', extension: 'bmp', mime: 'image/bmp' };
  if (looksLikeSvg(b)) return { kind: 'image', extension: 'svg', mime: 'image/svg+xml' };
  return UNKNOWN_FORMAT;
};

/** Image formats the simulator's image tools decode (sharp's inputs; SVG excluded: it is a document). */
export const DECODABLE_IMAGES: ReadonlySet<string> = new Set(['png', 'jpg', 'webp', 'gif', 'tiff', 'avif']);

/** Image formats `imageUpload` accepts (docs: jpeg, jpg, png, webp, bmp, gif). */
export const UPLOADABLE_IMAGES: ReadonlySet<string> = new Set(['png', 'jpg', 'webp', 'gif', 'bmp', 'tiff', 'avif']);
