import type { ParamProblem } from './errors.js';
import type { TaskObject } from './types.js';

/** Which `webhookURL` a task may name (protocol §5.7): an absolute http(s) URL, checked before the task runs. */

/** Longer URLs are refused: nothing real needs them, and they are echoed in errors. */
const MAX_URL_LENGTH = 2048;

const validURL = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
};

/**
 * What is wrong with the task's `webhookURL`, as the API names a bad parameter: it must be an
 * absolute `http:` or `https:` URL when present.
 *
 * @param task The task as received.
 * @returns The problem, or undefined when the field is absent or valid.
 */
export const webhookURLProblem = (task: TaskObject): ParamProblem | undefined => {
  const value = task['webhookURL'];
  if (value === undefined || value === null || validURL(value)) return undefined;
  return {
    code: 'invalidWebhookURL',
    message: 'Invalid value for webhookURL parameter. It must be an absolute http(s) URL of at most 2048 characters.',
    parameter: 'webhookURL',
    type: 'string',
  };
};

/**
 * The URL to post the task's results to: its `webhookURL` when valid (a task with an invalid
 * one was refused by {@link webhookURLProblem} before it ran).
 *
 * @param task The task as received.
 * @returns The URL, if any.
 */
export const webhookURLOf = (task: TaskObject): string | undefined => {
  const value = task['webhookURL'];
  return validURL(value) ? value : undefined;
};

