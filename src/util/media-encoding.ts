/**
 * The most bytes one media input may have. They are sent as one base64 string, inside one frame,
 * and a JavaScript string holds at most 2^29 − 24 characters in V8 (Chrome, Node); past that,
 * encoding throws, and Node's `btoa` aborts the process. 400 MB is 533 M characters of base64,
 * which leaves room for the rest of the frame.
 */
export const MAX_MEDIA_BYTES = 400_000_000;

/** Signatures of the media formats the API takes, at the start of a file (or at an offset). */
const SIGNATURES: readonly (readonly [type: string, bytes: readonly number[], offset?: number, also?: readonly [readonly number[], number]])[] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46], 0, [[0x57, 0x45, 0x42, 0x50], 8]],
  ['audio/wav', [0x52, 0x49, 0x46, 0x46], 0, [[0x57, 0x41, 0x56, 0x45], 8]],
  ['video/mp4', [0x66, 0x74, 0x79, 0x70], 4],
  ['video/webm', [0x1a, 0x45, 0xdf, 0xa3]],
  ['audio/mpeg', [0x49, 0x44, 0x33]],
  ['audio/flac', [0x66, 0x4c, 0x61, 0x43]],
  ['audio/ogg', [0x4f, 0x67, 0x67, 0x53]],
  ['model/gltf-binary', [0x67, 0x6c, 0x54, 0x46]],
];

/**
 * Every ISO-BMFF file starts with an `ftyp` box (what the MP4 signature finds); its major brand,
 * the four bytes after it, tells the images and audio in that container from a video.
 */
const ISO_BRANDS: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  avis: 'image/avif',
  heic: 'image/heic',
  heix: 'image/heic',
  'qt  ': 'video/quicktime',
  'M4A ': 'audio/mp4',
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset: number): boolean =>
  signature.every((byte, index) => bytes[offset + index] === byte);

/**
 * The MIME type of media bytes, from their first bytes, for the formats the API takes.
 *
 * @param bytes The file's bytes.
 * @returns The type, or `undefined` when it is none of them (the server then sniffs it).
 */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  for (const [type, signature, offset = 0, also] of SIGNATURES) {
    if (!startsWith(bytes, signature, offset) || (also !== undefined && !startsWith(bytes, also[0], also[1]))) continue;
    return type === 'video/mp4' ? (ISO_BRANDS[String.fromCharCode(...bytes.subarray(8, 12))] ?? type) : type;
  }
  return undefined;
}

/**
 * Base64 of bytes, the same in browsers and Node (both have `btoa`), in chunks so that large
 * files do not exceed the engine's argument limit.
 *
 * @param bytes The bytes.
 * @returns Their base64.
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

/** `type/subtype`, as MIME spells a token. */
const ESSENCE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/**
 * The essence of a MIME type, lower-cased: `video/webm` of MediaRecorder's
 * `video/webm;codecs=vp8,opus`. Parameters are dropped because a data URI's type ends at its
 * first comma, and servers read `data:<type>;base64,` and no more; `undefined` when the text is
 * no type at all.
 */
function essenceOf(type: string | undefined): string | undefined {
  const essence = type?.split(';', 1)[0]?.trim().toLowerCase();
  return essence !== undefined && ESSENCE.test(essence) ? essence : undefined;
}

/**
 * The input string for media bytes: a data URI when the type is known, bare base64 otherwise
 * (which the API accepts, and sniffs).
 *
 * @param bytes The bytes.
 * @param type Their MIME type, when known.
 * @returns The string to send.
 */
export function toMediaString(bytes: Uint8Array, type: string | undefined): string {
  const given = essenceOf(type);
  const known = given !== undefined && given !== 'application/octet-stream' ? given : sniffMediaType(bytes);
  const base64 = toBase64(bytes);
  return known === undefined ? base64 : `data:${known};base64,${base64}`;
}
