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
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  return typeof (value as Partial<MediaSource>)[MEDIA_SOURCE] === 'function';
}
