import * as v from 'valibot';
import { MAX_TIMER_MS } from '../util/max-timer.js';

/** What a wrong value was, in words: numbers as they are, anything else by its kind (never a string's content, which may be the key). */
function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return 'a string';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

/**
 * A deadline option: milliseconds a timer can wait (Node and browsers turn anything above 2^31−1
 * into 1 ms), or `Infinity` for none, which runware-rx keeps without a timer.
 *
 * @param name The option's name, for the message.
 * @returns The option's schema.
 */
// @__NO_SIDE_EFFECTS__
export function deadlineOption(name: string) {
  return v.optional(
    v.custom<number>(
      (value) => value === Infinity || (isNumber(value) && value > 0 && value <= MAX_TIMER_MS),
      (issue) => `${name} must be a number of milliseconds from 1 to ${MAX_TIMER_MS}, or Infinity for no deadline (got ${describe(issue.input)})`,
    ),
  );
}

/**
 * A delay option: a finite number of milliseconds a timer can wait, 0 included.
 *
 * @param name The option's name, for the message.
 * @returns The option's schema.
 */
// @__NO_SIDE_EFFECTS__
export function delayOption(name: string) {
  return v.optional(
    v.custom<number>(
      (value) => isNumber(value) && value >= 0 && value <= MAX_TIMER_MS,
      (issue) => `${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (got ${describe(issue.input)})`,
    ),
  );
}

/**
 * A count option: a whole number from `min`, or `Infinity` for no limit.
 *
 * @param name The option's name, for the message.
 * @param min The smallest count.
 * @returns The option's schema.
 */
// @__NO_SIDE_EFFECTS__
export function countOption(name: string, min: number) {
  return v.optional(
    v.custom<number>(
      (value) => value === Infinity || (isNumber(value) && Number.isInteger(value) && value >= min),
      (issue) => `${name} must be a whole number from ${min}, or Infinity for no limit (got ${describe(issue.input)})`,
    ),
  );
}
