import type { ValidationIssue } from '../errors/validation-error.js';
import { taskUUIDProblem } from '../protocol/task-uuid.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import type { TaskOptions } from './task-plan.js';

const KNOWN = new Set(['timeout', 'settled', 'retryFailed', 'taskUUID', 'strictParams', 'expectedDuration']);

/**
 * Checks per-request options before anything is subscribed or sent, in plain words. A deadline is
 * a number of ms above 0 within what a timer can wait, or `Infinity` for none: a larger number
 * would make timers fire at once, over and over.
 *
 * A `signal` is the Promise methods' own (they take it before the request sees its options): one
 * given to an Observable method would be ignored, so it is refused there.
 *
 * @param options What the caller passed.
 * @returns The problems found, or `undefined` when there are none.
 */
export function checkTaskOptions(options: TaskOptions | undefined): ValidationIssue[] | undefined {
  if (options === undefined) return undefined;
  let issues: ValidationIssue[] | undefined;
  const problem = (path: string, message: string): void => void (issues ??= []).push({ path, message });
  const shape = notAnObject(options, 'request options');
  if (shape !== undefined) return [shape];
  const { timeout, settled, retryFailed, taskUUID, strictParams, expectedDuration } = options;
  if (timeout !== undefined && !(timeout === Infinity || (typeof timeout === 'number' && timeout > 0 && timeout <= MAX_TIMER_MS))) {
    problem('timeout', `timeout must be a number of milliseconds from 1 to ${MAX_TIMER_MS}, or Infinity for none (got ${describe(timeout)})`);
  }
  if (expectedDuration !== undefined && !(typeof expectedDuration === 'number' && expectedDuration > 0 && expectedDuration <= MAX_TIMER_MS)) {
    problem('expectedDuration', `expectedDuration must be a number of milliseconds from 1 to ${MAX_TIMER_MS}: how long the task should take (got ${describe(expectedDuration)})`);
  }
  if (settled !== undefined && typeof settled !== 'boolean') problem('settled', `settled must be true or false (got ${describe(settled)})`);
  if (retryFailed !== undefined && typeof retryFailed !== 'boolean') problem('retryFailed', `retryFailed must be true or false (got ${describe(retryFailed)})`);
  if (strictParams !== undefined && typeof strictParams !== 'boolean') problem('strictParams', `strictParams must be true or false (got ${describe(strictParams)})`);
  const uuidProblem = taskUUID === undefined ? undefined : taskUUIDProblem(taskUUID);
  if (uuidProblem !== undefined) problem('taskUUID', `${uuidProblem} (got ${describe(taskUUID)})`);
  for (const key of Object.keys(options)) {
    if (key === 'signal') problem(key, 'signal is an option of the Promise methods: to cancel an Observable request, unsubscribe from it');
    else if (!KNOWN.has(key)) problem(key, `unknown request option "${key}"`);
  }
  return issues;
}

/**
 * The problem of options that are not an object (plain JavaScript may pass anything), named
 * `what` in the message; `undefined` for an object.
 *
 * @param options What the caller passed.
 * @param what What they are, in words ("request options").
 * @returns The problem, or `undefined`.
 */
export function notAnObject(options: unknown, what: string): ValidationIssue | undefined {
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) return undefined;
  return { path: 'options', message: `${what} must be an object (got ${describe(options)})` };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
