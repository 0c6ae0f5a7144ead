import type { BaseIssue, GenericSchema } from 'valibot';
import { getDotPath, safeParse } from 'valibot';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { TaskSchema } from './define-task.js';
import { closestName } from '../util/closest-name.js';
import { isMediaValue } from './media-value.js';
import { snapshotParams } from './snapshot-params.js';

/** The outcome of checking a request's parameters. */
export type ParamsCheck =
  | {
      readonly success: true;
      /** What is sent: a JSON copy of the caller's own fields, unknown ones included. */
      readonly output: Record<string, unknown>;
      /** Fields no schema knows, sent as they are. */
      readonly unknown: readonly UnknownField[];
      /** Whether the output holds bytes (Blob, ArrayBuffer, ...) to encode before sending. */
      readonly media: boolean;
    }
  | { readonly success: false; readonly issues: readonly ValidationIssue[]; readonly unknown: readonly UnknownField[] };

/** A field no schema knows: its dotted path, and the known field probably meant. */
export interface UnknownField {
  readonly path: string;
  readonly suggestion?: string | undefined;
}

type Node = GenericSchema & { readonly wrapped?: Node; readonly entries?: Readonly<Record<string, Node>>; readonly item?: Node; readonly options?: readonly Node[] };

const WRAPPERS = new Set(['optional', 'exact_optional', 'nullish', 'nullable', 'undefinedable']);
const OBJECTS = new Set(['object', 'strict_object', 'loose_object']);
const OPTIONAL = new Set(['optional', 'exact_optional', 'nullish', 'undefinedable']);
const CONFIG = { abortPipeEarly: true } as const;

/**
 * Checks a request's parameters the way runware-rx promises: what is checked is a JSON copy of
 * the caller's own fields, and that copy is what is sent. A value JSON cannot carry faithfully is
 * an error naming its path; known fields are checked strictly against the task's schema, every
 * problem at once and in plain words (`width must be an integer from 128 to 2048 (got 5000)`);
 * unknown fields are sent untouched and reported, for the caller to warn about or refuse.
 *
 * A task schema lists fifty-odd fields and a request sets a handful, so only the fields present
 * (and the required ones) are visited, each with its own schema.
 *
 * @param schema The task's schema (the source of the parameter type).
 * @param input The caller's parameters.
 * @param deliberate Fields the caller passed on purpose (`withExtraFields`): neither they nor what they hold is reported as unknown.
 * @returns The parameters to send, or every problem found.
 */
export function checkParams(schema: TaskSchema, input: unknown, deliberate?: ReadonlySet<string>): ParamsCheck {
  const snapshot = snapshotParams(input);
  if (!snapshot.success) return { success: false, issues: snapshot.issues, unknown: [] };
  const { output } = snapshot;
  const issues: ValidationIssue[] = [];
  const unknown: UnknownField[] = [];
  const entries = schema.entries as Readonly<Record<string, Node>>;
  for (const key of Object.keys(output)) {
    const field = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined;
    if (field === undefined) {
      if (deliberate?.has(key) !== true) unknown.push({ path: key, suggestion: closestName(key, Object.keys(entries)) });
      continue;
    }
    const value = output[key];
    // A field given through withExtraFields is the caller's on purpose at every depth: what its
    // schema does not know inside it (safety.tolerance) is not reported; what it knows is checked.
    const known = knownPart(field, value, key, deliberate?.has(key) === true ? [] : unknown, issues);
    if (known === REFUSED) continue;
    // A field's schema is a pure function of a string, number or boolean, so the value it last
    // accepted passes again without a parse: requests repeat their model, sizes and formats.
    const primitive = typeof known === 'string' || typeof known === 'number' || typeof known === 'boolean';
    if (primitive && lastAccepted.get(field) === known) continue;
    const checked = safeParse(field, known, CONFIG);
    if (!checked.success) for (const issue of checked.issues) issues.push(plainIssue(key, issue));
    else if (primitive) lastAccepted.set(field, known);
  }
  for (const key of requiredKeys(schema)) {
    if (!(key in output)) issues.push({ path: key, message: `${key} is required` });
  }
  return issues.length > 0 ? { success: false, issues, unknown } : { success: true, output, unknown, media: snapshot.media };
}

const REFUSED = Symbol('refused');

/** The last string, number or boolean each field schema accepted. */
const lastAccepted = new WeakMap<Node, unknown>();

/**
 * The part of a value its schema knows: unknown fields of objects (at any depth) are noted and
 * left out, so that the strict schemas check only what they know and the caller's value is sent
 * as it is. An array where an object goes is refused here, since valibot's objects take arrays.
 */
function knownPart(schema: Node, value: unknown, path: string, unknown: UnknownField[], issues: ValidationIssue[]): unknown {
  let node = schema;
  while (WRAPPERS.has(node.type) && node.wrapped !== undefined) node = node.wrapped;
  if (value === undefined || value === null || isMediaValue(value)) return value;
  if (OBJECTS.has(node.type) && node.entries !== undefined) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ path, message: `${path} must be an object (got ${describe(value)})` });
      return REFUSED;
    }
    const entries = node.entries;
    // A free-form object (settings, providerSettings) knows no fields and takes any.
    if (Object.keys(entries).length === 0) return value;
    const known: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const at = `${path}.${key}`;
      const entry = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined;
      if (entry === undefined) {
        unknown.push({ path: at, suggestion: closestName(key, Object.keys(entries)) });
        continue;
      }
      const part = knownPart(entry, child, at, unknown, issues);
      if (part === REFUSED) return REFUSED;
      known[key] = part;
    }
    return known;
  }
  if (node.type === 'array' && node.item !== undefined && Array.isArray(value)) {
    const item = node.item;
    const parts: unknown[] = [];
    for (const [index, child] of value.entries()) {
      const part = knownPart(item, child, `${path}.${index}`, unknown, issues);
      if (part === REFUSED) return REFUSED;
      parts.push(part);
    }
    return parts;
  }
  return value;
}

/** A valibot issue in plain words: the path, the rule, and what was given. */
function plainIssue(key: string, issue: BaseIssue<unknown>): ValidationIssue {
  const inner = getDotPath(issue);
  const path = inner === null || inner === '' ? key : `${key}.${inner}`;
  if (issue.input === undefined) return { path, message: `${path} is required` };
  return { path, message: `${path} ${issue.message} (got ${describe(issue.input)})` };
}

const required = new WeakMap<TaskSchema, readonly string[]>();

/** The fields a schema requires, worked out once per schema. */
function requiredKeys(schema: TaskSchema): readonly string[] {
  let keys = required.get(schema);
  if (keys === undefined) {
    keys = Object.keys(schema.entries).filter((key) => !OPTIONAL.has(schema.entries[key]?.type ?? ''));
    required.set(schema, keys);
  }
  return keys;
}

/**
 * What a value was, for a message: short values as they are, long strings cut, containers by kind.
 *
 * @param value Any value.
 * @returns A few words.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isMediaValue(value)) return 'bytes';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
