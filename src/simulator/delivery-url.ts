import type { ParamProblem } from './errors.js';
import type { TaskObject } from './types.js';

/**
 * Which URLs a task may send its results to (protocol §5.7, §5.8): `webhookURL` (POSTed items)
 * and `uploadEndpoint` (PUT files) take the same rule, an absolute http(s) URL, checked before
 * the task runs.
 */

/** Longer URLs are refused: nothing real needs them, and they are echoed in errors. */
const MAX_URL_LENGTH = 2048;

/** The fields, and the code a bad value of each is refused with (`invalidUploadEndpoint` is the simulator's guess, by analogy). */
const FIELDS = [
  ['webhookURL', 'invalidWebhookURL'],
  ['uploadEndpoint', 'invalidUploadEndpoint'],
] as const;

type DeliveryField = (typeof FIELDS)[number][0];

const validURL = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
};

/**
 * What is wrong with the task's `webhookURL` or `uploadEndpoint`, as the API names a bad
 * parameter: each must be an absolute `http:` or `https:` URL when present.
 *
 * @param task The task as received.
 * @returns The problem with the first bad one, or undefined when both are absent or valid.
 */
export const deliveryURLProblem = (task: TaskObject): ParamProblem | undefined => {
  for (const [parameter, code] of FIELDS) {
    const value = task[parameter];
    if (value === undefined || value === null || validURL(value)) continue;
    return {
      code,
      message: `Invalid value for ${parameter} parameter. It must be an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters.`,
      parameter,
      type: 'string',
    };
  }
  return undefined;
};

/**
 * The URL the task's results go to by `field`: its value when valid (a task with an invalid one
 * was refused by {@link deliveryURLProblem} before it ran).
 */
const urlOf = (task: TaskObject, field: DeliveryField): string | undefined => {
  const value = task[field];
  return validURL(value) ? value : undefined;
};

/** Where to POST the task's result items, if anywhere. */
export const webhookURLOf = (task: TaskObject): string | undefined => urlOf(task, 'webhookURL');

/** Where to PUT the task's output files, if anywhere. */
export const uploadEndpointOf = (task: TaskObject): string | undefined => urlOf(task, 'uploadEndpoint');
