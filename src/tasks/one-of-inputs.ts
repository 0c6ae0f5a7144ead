import type { ValidationIssue } from '../errors/validation-error.js';

/**
 * A rule across fields: one of several places must hold the input (the top-level field, or the
 * one under `inputs` of the schema style).
 *
 * @param paths The dotted paths that may hold it, the preferred one first.
 * @returns The rule, for a definition's `check`.
 */
// @__NO_SIDE_EFFECTS__
export function oneOfInputs(...paths: readonly string[]): (params: Readonly<Record<string, unknown>>) => readonly ValidationIssue[] {
  return (params) => {
    const given = paths.some((path) => path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), params) !== undefined);
    return given ? [] : [{ path: paths[0] ?? '', message: `${paths.join(' or ')} is required` }];
  };
}
