import type { RunwareErrorCode } from 'runware-rx';
import { isRunwareError } from 'runware-rx';

/** What the web API answers for a failure: an HTTP status and a JSON body. */
export interface HttpFailure {
  readonly status: number;
  readonly body: { readonly error: { readonly code: string; readonly message: string; readonly taskUUID?: string } };
  /** A `Retry-After` header, in seconds, when trying again later may work. */
  readonly retryAfter?: number;
}

/**
 * The status of each runware-rx error code, as seen by this API's callers. The caller's own
 * mistakes are 4xx; everything about the upstream is 5xx, so that a caller never retries a bad
 * request and never takes our configuration for theirs:
 *
 * - `validation`, `notFound` → 400: the request named a bad value or an unknown model or image.
 * - `safety` → 422: understood, but its content was refused.
 * - `auth`, `quota` → 502: Runware refused *our* key or account. 401 would tell the caller to
 *   authenticate, which cannot help; 500 would say this server broke, while it is the upstream
 *   we depend on that refused. Operators are alerted by the log line.
 * - `provider`, `serverError`, `protocol` → 502: the upstream failed or answered nonsense.
 * - `rateLimit`, `connection` → 503 with Retry-After: runware-rx has already retried; later may work.
 * - `timeout` → 504: the upstream did not finish within our deadline.
 * - `aborted` → 503: the server is shutting down (a caller that left gets no answer at all).
 */
const statusOfCode: Readonly<Record<RunwareErrorCode, number>> = {
  validation: 400,
  notFound: 400,
  safety: 422,
  auth: 502,
  quota: 502,
  provider: 502,
  serverError: 502,
  protocol: 502,
  rateLimit: 503,
  connection: 503,
  aborted: 503,
  timeout: 504,
  unknown: 500,
};

/** Messages the caller may see; the upstream's own words about our account stay in our logs. */
const publicMessage: Partial<Record<RunwareErrorCode, string>> = {
  auth: 'The image service is misconfigured.',
  quota: 'The image service is out of credits.',
  unknown: 'Internal error.',
};

/**
 * Maps a failure of a request to the answer of this API.
 *
 * @param error What the request rejected with.
 * @returns The status, body and retry hint.
 */
export function httpFailureOf(error: unknown): HttpFailure {
  if (!isRunwareError(error)) return { status: 500, body: { error: { code: 'unknown', message: 'Internal error.' } } };
  const status = statusOfCode[error.code];
  const message = publicMessage[error.code] ?? error.message;
  const body = { error: error.taskUUID === undefined ? { code: error.code, message } : { code: error.code, message, taskUUID: error.taskUUID } };
  return status === 503 ? { status, body, retryAfter: 5 } : { status, body };
}
