import { RunwareError } from '../errors/runware-error.js';
import { redactSecret } from '../util/redact.js';

/**
 * What the tasks are failed with when a link that never opened a socket ends on a connection
 * error: not retryable, since retrying them would only meet the same refusal.
 *
 * @param reason Why the link ended.
 * @param url The endpoint it dialled.
 * @returns The error for every task in flight.
 */
export function neverConnected(reason: RunwareError, url: string): RunwareError {
  return new RunwareError({ code: 'connection', message: `Could not connect to ${url}: ${reason.message}`, retryable: false, cause: reason });
}

/**
 * A link's failure as a typed error: a RunwareError as it is, anything else (a fault) as `unknown`
 * with the key redacted from its words.
 *
 * @param error What the link failed with.
 * @param apiKey The key to keep out of the message.
 * @returns The error.
 */
export function toRunwareError(error: unknown, apiKey: string): RunwareError {
  if (error instanceof RunwareError) return error;
  return new RunwareError({ code: 'unknown', message: redactSecret(String(error), apiKey) });
}
