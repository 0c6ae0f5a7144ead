import type { BaseIssue } from 'valibot';
import * as v from 'valibot';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { TaskSchema } from './define-task.js';

/** The outcome of checking a request's parameters. */
export type ParamsCheck =
  | { readonly success: true; readonly output: Record<string, unknown> }
  | { readonly success: false; readonly issues: readonly ValidationIssue[] };

const OPTIONAL = new Set(['optional', 'exact_optional', 'nullish']);

/**
 * Checks parameters against a task's strict-object schema by visiting only the fields present,
 * plus the required ones. A task schema lists fifty-odd fields and a request sets a handful;
 * valibot's own `strictObject` walks every field for every request, which was the largest
 * single cost of submitting ten thousand tasks at once. The result is the same (the same field
 * schemas run, unknown fields are refused, missing required fields reported) as long as the
 * schema's fields have no defaults or transforms, which task schemas must not have.
 *
 * @param schema The task's schema (the source of the parameter type).
 * @param input The caller's parameters.
 * @returns The parameters, or every problem found with the dotted path of its field.
 */
export function parseParams(schema: TaskSchema, input: unknown): ParamsCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    // Not even an object: valibot words that best, and speed does not matter here.
    const checked = v.safeParse(schema, input);
    return checked.success ? { success: true, output: checked.output } : { success: false, issues: checked.issues.map((issue) => nested('', issue)) };
  }
  let issues: ValidationIssue[] | undefined;
  const fields = input as Record<string, unknown>;
  for (const key in fields) {
    const field = Object.prototype.hasOwnProperty.call(schema.entries, key) ? schema.entries[key] : undefined;
    if (field === undefined) {
      (issues ??= []).push({ path: key, message: `Invalid key: Expected never but received "${key}"` });
      continue;
    }
    const checked = v.safeParse(field, fields[key]);
    if (!checked.success) for (const issue of checked.issues) (issues ??= []).push(nested(key, issue));
  }
  for (const key of requiredKeys(schema)) {
    if (!(key in fields)) (issues ??= []).push({ path: key, message: `Invalid key: Expected "${key}" but received undefined` });
  }
  return issues === undefined ? { success: true, output: fields } : { success: false, issues };
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

function nested(key: string, issue: BaseIssue<unknown>): ValidationIssue {
  const inner = v.getDotPath(issue) ?? '';
  return { path: key === '' || inner === '' ? key || inner : `${key}.${inner}`, message: issue.message };
}
