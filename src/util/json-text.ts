const BACKSLASH = 0x5c;

/**
 * Where the string that opens at `start` ends (past its closing quote), in JSON text; the text's
 * end when it never closes. Read by those who must leave the rest of a text as it was written:
 * digits outside strings (exact integers), strings that mention a secret (redaction).
 *
 * @param text JSON text.
 * @param start Where the string's opening quote is.
 * @returns The index just past its closing quote.
 */
export function endOfJsonString(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    // After an odd number of backslashes the quote is escaped, part of the string.
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}
