import { RunwareError } from './runware-error.js';
import { redactSecret } from '../util/redact.js';

/**
 * Returns the error unchanged unless its message contains the secret (a close reason or a
 * socket error echoing it); then an equal error with the secret redacted and no cause, since
 * the cause may carry it too.
 *
 * @param error The error.
 * @param secret The API key.
 * @returns An error that does not contain the secret in its message or stack.
 */
export function withoutSecret(error: RunwareError, secret: string): RunwareError {
  const message = redactSecret(error.message, secret);
  if (message === error.message) return error;
  return new RunwareError({
    code: error.code,
    message,
    retryable: error.retryable,
    taskUUID: error.taskUUID,
    taskType: error.taskType,
    parameter: error.parameter,
    serverCode: error.serverCode,
    details: error.details,
  });
}
