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
  return (params) => (paths.some((path) => at(params, path) !== undefined) ? [] : [{ path: paths[0] ?? '', message: `${paths.join(' or ')} is required` }]);
}

/**
 * {@link oneOfInputs} for an image tool whose task type also takes a video (caption, upscale,
 * removeBackground): without an image but with `inputs.video`, it names the method for a video.
 *
 * @param videoMethod The method that takes the video.
 * @param paths The dotted paths that may hold the image, the preferred one first.
 * @returns The rule, for a definition's `check`.
 */
// @__NO_SIDE_EFFECTS__
export function imageInputOf(videoMethod: string, ...paths: readonly string[]): (params: Readonly<Record<string, unknown>>) => readonly ValidationIssue[] {
  const image = oneOfInputs(...paths);
  return (params) => {
    const issues = image(params);
    if (issues.length === 0 || at(params, 'inputs.video') === undefined) return issues;
    return [{ path: 'inputs.video', message: `this method takes an image (${paths.join(' or ')}); for a video, call ${videoMethod}` }];
  };
}

/** The value at a dotted path, if any. */
function at(params: Readonly<Record<string, unknown>>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), params);
}
