import { writeExactJson } from './exact-json.js';

/**
 * A bounded copy of any JSON value: long strings cut to a prefix plus a marker, long arrays and
 * objects with many keys cut likewise, nesting cut at a depth, and everything beyond a total byte
 * budget replaced by a marker. Values within the limits come back as they are (same reference for
 * primitives, equal copies for containers). Used where the simulator keeps or echoes what a client
 * sent, so that a 10 MB field costs a few hundred bytes instead of 10 MB.
 */

/** How far {@link compactValue} keeps a value whole. */
export interface CompactLimits {
  /** Characters kept of a longer string. */
  readonly string: number;
  /** Items kept of a longer array. */
  readonly items: number;
  /** Keys kept of an object with more. */
  readonly keys: number;
  /** Containers nested deeper than this are replaced by a marker. */
  readonly depth: number;
  /** Approximate JSON bytes of the whole copy; what does not fit is replaced by a marker. */
  readonly bytes: number;
}

/** The copy and its approximate size in JSON bytes. */
export interface Compacted {
  readonly value: unknown;
  readonly bytes: number;
}

const ELIDED = '[…]';

/** Whether a string is longer than it may be kept; for callers that skip the copy when nothing is cut. */
export const cutString = (text: string, keep: number): string =>
  text.length <= keep ? text : `${text.slice(0, keep)}…[${text.length} chars]`;

/**
 * Copies `value` within `limits`.
 *
 * @param value Anything JSON.parse can produce (other values are kept as they are: numbers, booleans, null).
 * @param limits The limits.
 * @returns The bounded copy and its approximate JSON size.
 */
export const compactValue = (value: unknown, limits: CompactLimits): Compacted => {
  let spent = 0;
  const walk = (node: unknown, depth: number): unknown => {
    if (spent >= limits.bytes) return ELIDED;
    if (typeof node === 'string') {
      const kept = cutString(node, limits.string);
      spent += kept.length + 2;
      return kept;
    }
    if (typeof node !== 'object' || node === null) {
      spent += 8;
      return node;
    }
    if (depth >= limits.depth) {
      spent += ELIDED.length + 2;
      return '[…nested]';
    }
    spent += 2;
    if (Array.isArray(node)) {
      const kept = node.slice(0, limits.items).map((item: unknown) => walk(item, depth + 1));
      if (node.length > limits.items) kept.push(`…[${node.length - limits.items} more items]`);
      return kept;
    }
    const copy: Record<string, unknown> = {};
    const keys = Object.keys(node);
    for (const key of keys.slice(0, limits.keys)) {
      spent += Math.min(key.length, limits.string) + 3;
      // Own data keys only, and defined as data so a key such as `__proto__` stays a plain key.
      Object.defineProperty(copy, cutString(key, limits.string), {
        value: walk((node as Record<string, unknown>)[key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (keys.length > limits.keys) copy['…'] = `[${keys.length - limits.keys} more fields]`;
    return copy;
  };
  const copied = walk(value, 0);
  return { value: copied, bytes: spent };
};

/** Limits for values quoted back in error messages: enough to recognise them, never more. */
const ECHO_LIMITS: CompactLimits = { string: 80, items: 8, keys: 8, depth: 3, bytes: 240 };

/**
 * A value as an error message quotes it: JSON, cut short (a 10 MB prompt is quoted by its first 80
 * characters and its length).
 *
 * @param value What the client sent.
 * @returns Its JSON text, at most a few hundred characters; `undefined` for a missing value.
 */
export const echo = (value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(cutString(value, ECHO_LIMITS.string));
  // Numbers (a BigInt past 2^53 − 1 as its digits), booleans and null; a function or symbol has no JSON.
  if (typeof value !== 'object' || value === null) return writeExactJson(value) ?? typeof value;
  return writeExactJson(compactValue(value, ECHO_LIMITS).value);
};

/** A string quoted back in a field of an error item (`taskType`, `taskUUID`), cut short. */
export const echoField = (text: string): string => cutString(text, ECHO_LIMITS.string);
