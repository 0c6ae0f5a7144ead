import type { RunwareErrorCode } from './runware-error.js';
import { RunwareError } from './runware-error.js';

/**
 * Tells whether a value is a runware-rx error. Also matches errors from another copy of the
 * package or another realm (iframe), by shape, where `instanceof` would fail.
 *
 * @param value Anything caught.
 * @returns `true` for a {@link RunwareError}.
 */
export function isRunwareError(value: unknown): value is RunwareError {
  if (value instanceof RunwareError) return true;
  // `instanceof Error` fails across realms; the built-in tag of an error does not.
  if (Object.prototype.toString.call(value) !== '[object Error]') return false;
  const candidate = value as Partial<RunwareError>;
  return typeof candidate.code === 'string' && typeof candidate.retryable === 'boolean';
}

/**
 * Tells whether a value is a runware-rx error of one category.
 *
 * @param value Anything caught.
 * @param code The category to match.
 * @returns `true` when `value` is a {@link RunwareError} with that `code`.
 */
export function hasErrorCode(value: unknown, code: RunwareErrorCode): value is RunwareError {
  return isRunwareError(value) && value.code === code;
}
