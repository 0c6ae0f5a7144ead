import { RunwareError } from './runware-error.js';

/**
 * The error of requests ended by `disconnect()`: `aborted`, since the caller chose to stop.
 *
 * @returns A new error.
 */
export function disconnectedError(): RunwareError {
  return new RunwareError({
    code: 'aborted',
    message: 'The client disconnected; the server may still complete (and bill) tasks already sent.',
  });
}
