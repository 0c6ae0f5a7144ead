import type { ValidationIssue } from '../errors/validation-error.js';
import { isMediaValue } from './media-value.js';

/** How deep a request may nest: far beyond any real parameter, well within any stack. */
const MAX_DEPTH = 64;

/** A JSON copy of a request, or why it cannot be one. */
export type Snapshot =
  | { readonly success: true; readonly output: Record<string, unknown>; readonly media: boolean }
  | { readonly success: false; readonly issues: readonly ValidationIssue[] };

/**
 * Copies a request as JSON would carry it, so that what is checked is exactly what is sent: the
 * caller's own enumerable fields only (nothing inherited, no symbols), fields set to `undefined`
 * or `null` left out as "not given" (in a list, a null is a value and is kept). A BigInt is kept:
 * an exact integer, sent as its digits (seeds go to 2^63 − 1). A value JSON cannot carry
 * faithfully is an error naming its path: a cycle, a function, a symbol, `NaN` or ±Infinity, an
 * object JSON would turn into something else (a `Date`, a `Map`, anything with `toJSON`),
 * `undefined` in a list, nesting deeper than 64, a field named `__proto__`. Bytes given as media
 * (a `Blob`, an `ArrayBuffer`, a typed array, `fromFile`) are kept as they are, for encoding.
 *
 * @param input The caller's parameters.
 * @returns The copy, or every problem found.
 */
export function snapshotParams(input: unknown): Snapshot {
  if (!isPlainObject(input)) {
    return { success: false, issues: [{ path: '', message: `the parameters must be an object (got ${kindOf(input)})` }] };
  }
  const issues: ValidationIssue[] = [];
  // Every request passes here: the objects being copied are a short stack (rarely more than two
  // deep), not a set, and nothing else is allocated beyond the copy.
  const state: State = { media: false, ancestors: [] };
  const output = copyObject(input, '', 0, state, issues);
  return issues.length > 0 ? { success: false, issues } : { success: true, output, media: state.media };
}

interface State {
  media: boolean;
  /** The objects and lists being copied, outermost first: one met again is a cycle. */
  readonly ancestors: object[];
}

function copyObject(source: object, path: string, depth: number, state: State, issues: ValidationIssue[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  state.ancestors.push(source);
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    // A field set to null is one the caller leaves unset, as the official clients mean it (py-legacy
    // sends style: null on every photoMaker): it is checked as absent, so it is not sent either.
    if (value === undefined || value === null) continue;
    const at = path === '' ? key : `${path}.${key}`;
    // An own "__proto__" (JSON.parse makes one) would be taken for the prototype on every copy.
    if (key === '__proto__') issues.push({ path: at, message: `${at} cannot be sent: "__proto__" is not a field name, and copying it would change the object it is in` });
    else copy[key] = copyValue(value, at, depth + 1, state, issues);
  }
  state.ancestors.pop();
  return copy;
}

function copyValue(value: unknown, path: string, depth: number, state: State, issues: ValidationIssue[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    // An exact integer (a seed past 2^53 − 1), written on the wire as its digits; the fields that
    // take numbers refuse it.
    case 'bigint':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : refuse(issues, path, `must be a finite number (got ${String(value)}), which JSON cannot carry`);
    case 'undefined':
      return refuse(issues, path, 'must not be undefined inside a list, where JSON would turn it into null');
    case 'function':
    case 'symbol':
      return refuse(issues, path, `cannot be sent: it is a ${typeof value}`);
  }
  if (value === null) return null;
  if (isMediaValue(value)) {
    state.media = true;
    return value;
  }
  if (depth > MAX_DEPTH) return refuse(issues, path, `is nested more than ${MAX_DEPTH} levels deep`);
  if (state.ancestors.includes(value as object)) return refuse(issues, path, 'refers back to an object that contains it (a cycle), which JSON cannot carry');
  if (Array.isArray(value)) {
    state.ancestors.push(value);
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index += 1) copy[index] = copyValue(value[index], `${path}.${index}`, depth + 1, state, issues);
    state.ancestors.pop();
    return copy;
  }
  if (!isPlainObject(value)) return refuse(issues, path, `must be a plain object (got ${kindOf(value)}), which JSON would not carry as it is`);
  return copyObject(value, path, depth, state, issues);
}

/** Notes why a value cannot be sent; the copy leaves it out. */
function refuse(issues: ValidationIssue[], path: string, why: string): undefined {
  issues.push({ path, message: `${path} ${why}` });
  return undefined;
}

/** Objects whose data is not in their own fields, which JSON would turn into `{}` or a string. */
const OPAQUE: readonly (abstract new (...args: never[]) => object)[] = [Date, Map, Set, WeakMap, WeakSet, RegExp, Error, Promise, Number, String, Boolean];

/**
 * An object JSON carries as its own enumerable fields: a plain object, or any other (a class
 * instance) whose fields are its data, but not one that JSON turns into something else.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  // An object literal (every request's parameters) is none of the opaque kinds.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return true;
  for (const type of OPAQUE) if (value instanceof type) return false;
  return true;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name === undefined || name === '' ? 'an object' : `a ${name}`;
  }
  return typeof value === 'string' ? 'a string' : typeof value;
}
