import { randomUUID } from 'node:crypto';

/*
 * JSON as the API reads and writes it, integers included: a seed goes up to 2^63 − 1 (protocol
 * §4.2), past what a number holds exactly (2^53 − 1), and the API echoes it in each result. Such
 * an integer is read as a BigInt of the digits written and written back as the same digits.
 *
 * The SDK has a reader of its own for the same rule (src/protocol/exact-json.ts); the simulator
 * never imports the SDK (.dependency-cruiser.cjs), so that the client is tested against an
 * independent reading of the protocol, and keeps this one.
 */

/** Whether a parsed value holds an integer past 2^53 − 1 (only a literal of one parses to one); iterative, so any depth is walked. */
const holdsInexactInteger = (value: unknown): boolean => {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'number') {
      if (Number.isInteger(node) && !Number.isSafeInteger(node)) return true;
    } else if (Array.isArray(node)) {
      for (const child of node as unknown[]) stack.push(child);
    } else if (typeof node === 'object' && node !== null) {
      // Its values without an array of them: every frame is walked.
      for (const key in node) stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return false;
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
/** An integer literal too long to be safe for sure (16 digits or more). */
const LONG_INTEGER = /^-?\d{16,}$/;
/** What a JSON number is made of. */
const NUMBER_CHARACTER = /[-+.\deE]/;

/**
 * The text with each integer literal past 2^53 − 1 written as the string `tag` + its digits.
 * Strings are passed over whole (digits in them are text); outside them, in JSON that
 * `JSON.parse` took, a `-` or a digit starts a number.
 */
const tagLongIntegers = (text: string, tag: string): string => {
  let tagged = '';
  let copied = 0;
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      at += 1;
      while (at < text.length && text.charCodeAt(at) !== QUOTE) at += text.charCodeAt(at) === BACKSLASH ? 2 : 1;
      at += 1;
    } else if (code === MINUS || isDigit(code)) {
      const start = at;
      while (at < text.length && NUMBER_CHARACTER.test(text.charAt(at))) at += 1;
      const literal = text.slice(start, at);
      if (LONG_INTEGER.test(literal) && !Number.isSafeInteger(Number(literal))) {
        tagged += `${text.slice(copied, start)}"${tag}${literal}"`;
        copied = at;
      }
    } else {
      at += 1;
    }
  }
  return tagged + text.slice(copied);
};

/** A tag no client can write: a NUL and a UUID drawn for the call. */
const freshTag = (): string => `\u0000${randomUUID()}:`;

/**
 * Parses JSON text as `JSON.parse` does (its judgement of what is JSON, its rules on duplicate
 * keys), except that an integer past 2^53 − 1 becomes a BigInt of its digits. A text without one
 * (nearly every frame) costs one walk of its parsed values beside the parse.
 *
 * @param text JSON text.
 * @returns The value.
 * @throws {SyntaxError} When the text is not JSON.
 */
export const parseExactJson = (text: string): unknown => {
  const parsed: unknown = JSON.parse(text);
  if (!holdsInexactInteger(parsed)) return parsed;
  const tag = freshTag();
  // The tag's NUL is written escaped, as JSON text must; parsed, it is the NUL again.
  const tagged = tagLongIntegers(text, JSON.stringify(tag).slice(1, -1));
  try {
    return JSON.parse(tagged, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(tag) ? BigInt(value.slice(tag.length)) : value));
  } catch {
    // Nested too deep for the reviver's walk: read as JSON.parse reads it.
    return parsed;
  }
};

/**
 * Writes a value as `JSON.stringify` does, except that a BigInt (a seed read by
 * {@link parseExactJson}, or one counted up from it) is written as its digits, a JSON integer:
 * `JSON.stringify` refuses one with a TypeError, so only a value that holds one is written twice.
 *
 * @param value A frame, an item, or any value JSON can write.
 * @returns The JSON text.
 */
export const writeExactJson = (value: unknown): string => {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const tag = freshTag();
    const text = JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? `${tag}${field}` : field));
    // The tagged strings as JSON writes them (NUL escaped), quotes and all, give way to their digits.
    return text.split(`"${JSON.stringify(tag).slice(1, -1)}`).map((part, index) => (index === 0 ? part : part.replace(/^(-?\d+)"/, '$1'))).join('');
  }
};
