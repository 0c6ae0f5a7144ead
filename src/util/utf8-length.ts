/** Any character outside ASCII; a frame without one is as many bytes as characters. */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The length of a string once encoded as UTF-8, which is what a WebSocket peer's size limit
 * counts. JSON from `JSON.stringify` has no lone surrogates, so each surrogate half is half of a
 * four-byte character.
 *
 * @param text The string.
 * @returns Its UTF-8 length, in bytes.
 */
export function utf8Length(text: string): number {
  // The regular expression scans a large ASCII frame (base64 media) several times faster than the loop.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    bytes += code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
