import { endOfJsonString } from '../util/json-text.js';
import { newTaskUUID } from './task-uuid.js';

/** How deep {@link holdsInexactInteger} looks before it takes a value for one that may hold such an integer. */
const MAX_WALK_DEPTH = 64;

/**
 * Whether a parsed value holds a number that is an integer no number holds exactly (past
 * 2^53 − 1): only a literal of such an integer parses to one, so a value without one was read
 * exactly. Walking the parsed value costs what its fields cost, not what its text does: a
 * frame of base64 media is megabytes of text and a handful of fields, and a regular expression
 * over its text cost half as much again as `JSON.parse` itself.
 */
function holdsInexactInteger(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  // Too deep to walk here: the tagging pass below decides, as it would for any such text.
  if (depth > MAX_WALK_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (holdsInexactInteger(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (holdsInexactInteger((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** An integer literal as JSON writes one, of 16 digits or more (a leading zero is no JSON). */
const LONG_INTEGER = /^-?[1-9]\d{15,}$/;
const QUOTE = 0x22;

/** Whether a character code is a digit. */
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
/** The characters of a JSON number besides digits: `-`, `+`, `.`, `e`, `E`. */
const NUMBER_MARKS = new Set([0x2d, 0x2b, 0x2e, 0x65, 0x45]);

/** Where the number that starts at `start` ends, in JSON text. */
function endOfNumber(text: string, start: number): number {
  let end = start;
  while (end < text.length && (isDigit(text.charCodeAt(end)) || NUMBER_MARKS.has(text.charCodeAt(end)))) end += 1;
  return end;
}

/**
 * The text with each integer literal that no number holds exactly written as a string, the
 * literal after `tag`; `undefined` when it has none. Strings are passed over whole, so digits in
 * them stay text; outside them, in valid JSON, a `-` or a digit starts a number.
 */
function tagLongIntegers(text: string, tag: string): string | undefined {
  const parts: string[] = [];
  let copied = 0;
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      at = endOfJsonString(text, at);
      continue;
    }
    if (code !== 0x2d && !isDigit(code)) {
      at += 1;
      continue;
    }
    const end = endOfNumber(text, at);
    const literal = text.slice(at, end);
    if (LONG_INTEGER.test(literal) && !Number.isSafeInteger(Number(literal))) {
      parts.push(text.slice(copied, at), `"${tag}${literal}"`);
      copied = end;
    }
    at = end;
  }
  if (parts.length === 0) return undefined;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Parses JSON text as `JSON.parse` does, except that an integer no number holds exactly (past
 * 2^53 − 1, such as a seed up to 2^63 − 1, protocol §4.2) becomes a BigInt of the very value
 * written, which the connection's encoder writes back as the same digits. Every frame is read
 * with it, both ways: the client's answers (a result's seed read as a number would be handed
 * over rounded, another seed than the one the image was made with) and the relay's pages (what
 * it sends on is written from what it read, so a number would reach Runware rounded).
 * A value without such an integer (nearly every frame) costs one walk of its parsed fields.
 * Otherwise its integers are marked as strings under a tag of this call's own, which no
 * sender can write, and parsed again; the text's validity is `JSON.parse`'s own judgement of it
 * as it came, so the marking cannot turn a text that is no JSON into one.
 *
 * (Not `lossless-json` or `json-bigint`: a parser of their own, with other rules than the
 * platform's on duplicate keys and `__proto__`, would read these frames differently from all
 * others; and `JSON.parse`'s `context.source`, which would do this at once, is not in Node 20.)
 *
 * @param text JSON text.
 * @returns The value.
 * @throws {SyntaxError} When the text is not JSON.
 */
export function parseExactJson(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  if (!holdsInexactInteger(parsed, 0)) return parsed;
  const tag = `\u0000${newTaskUUID()}:`;
  const tagged = tagLongIntegers(text, JSON.stringify(tag).slice(1, -1));
  if (tagged === undefined) return parsed;
  try {
    return JSON.parse(tagged, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(tag) ? BigInt(value.slice(tag.length)) : value));
  } catch {
    // Only a value nested too deep for the reviver's walk: read as JSON.parse reads it (the relay refuses such tasks as too deep whatever their numbers).
    return parsed;
  }
}
