/** The bytes of a media input, and what they are when known. */
export interface MediaBytes {
  readonly bytes: Uint8Array;
  /** The MIME type when known (a `Blob`'s, a file's extension); else sniffed from the bytes. */
  readonly type?: string | undefined;
}

/**
 * A media input that runware-rx reads when the request is sent: what `fromFile(path)`
 * (runware-rx/node) returns. Anything with this method is one.
 */
export interface MediaSource {
  readonly [MEDIA_SOURCE]: () => Promise<MediaBytes>;
}

/** The key of {@link MediaSource}'s reader. */
export const MEDIA_SOURCE: unique symbol = Symbol.for('runware-rx.media-source');

/** Bytes given as a media input: encoded by runware-rx before the request is sent. */
export type MediaValue = Blob | ArrayBuffer | ArrayBufferView | MediaSource;

/**
 * Tells bytes given as a media input from everything else.
 *
 * @param value Any value of a request.
 * @returns Whether runware-rx encodes it as media.
 */
export function isMediaValue(value: unknown): value is MediaValue {
  if (typeof value !== 'object' || value === null) return false;
  if (ArrayBuffer.isView(value) || isArrayBuffer(value) || isBlob(value)) return true;
  return typeof (value as Partial<MediaSource>)[MEDIA_SOURCE] === 'function';
}

/*
 * By the built-in tag as well as by `instanceof`: a page's iframes (an editor, a story, a file
 * input in a frame) each have their own `Blob`, `File` and `ArrayBuffer` constructors, and what
 * they make is no instance of this realm's. The tag is what every realm's own objects carry.
 * (`ArrayBuffer.isView` already answers across realms.)
 */

/**
 * Tells a `Blob` (a `File` too) of any realm.
 *
 * @param value Any value.
 * @returns Whether it is one.
 */
export function isBlob(value: unknown): value is Blob {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  const tag = Object.prototype.toString.call(value);
  return tag === '[object Blob]' || tag === '[object File]';
}

/**
 * Tells an `ArrayBuffer` of any realm.
 *
 * @param value Any value.
 * @returns Whether it is one.
 */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}
