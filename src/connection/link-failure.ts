import { RunwareError } from '../errors/runware-error.js';
import { redactSecret } from '../util/redact.js';

/**
 * What the tasks are failed with when a link that never opened a socket ends on a connection
 * error: not retryable, since retrying them would only meet the same refusal. What the socket said
 * of it (a browser's close code, in `details`) is kept.
 *
 * @param reason Why the link ended.
 * @param url The endpoint it dialled.
 * @returns The error for every task in flight.
 */
export function neverConnected(reason: RunwareError, url: string): RunwareError {
  return new RunwareError({ code: 'connection', message: couldNotConnect(url, reason), retryable: false, details: reason.details, cause: reason });
}

/**
 * What connect() and the closed state say of a link that never opened a socket: the socket's
 * error, prefixed with the URL it dialled unless its own words name it (a browser's do; ws says
 * only "Unexpected server response: 404" or "connect ECONNREFUSED 127.0.0.1:8080"). It stays
 * what it was otherwise (retryable, the close code in `details`): connect() may be called again.
 *
 * @param reason Why the link ended.
 * @param url The endpoint it dialled.
 * @returns The error that names the URL.
 */
export function namingTheUrl(reason: RunwareError, url: string): RunwareError {
  if (reason.message.includes(url)) return reason;
  return new RunwareError({ code: reason.code, message: couldNotConnect(url, reason), retryable: reason.retryable, details: reason.details, cause: reason });
}

/** The words of a failure to connect: where, then what the socket said. */
const couldNotConnect = (url: string, reason: RunwareError): string => `Could not connect to ${url}: ${reason.message}`;

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
