import type { ErrorItem, OutboundFrame } from './types.js';

/** Seconds a client told to slow down (429, 503) is asked to wait, in `Retry-After`. */
export const RETRY_AFTER_SECONDS = 1;

/** The HTTP status of a refusal, by error code (protocol §10.4, §6.2); validation and the rest are 400. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  invalidApiKey: 401,
  missingApiKey: 401,
  insufficientCredits: 402,
  forbidden: 403,
  permissionDenied: 403,
  insufficientPermissions: 403,
  taskNotFound: 404,
  rateLimitExceeded: 429,
  providerRateLimitExceeded: 429,
  inferenceRateLimitExceeded: 429,
  internalServerError: 500,
  serviceUnavailable: 503,
};

/** The HTTP status an error item stands for when it is the whole answer. */
export const statusOfError = (error: ErrorItem): number => STATUS_OF_CODE[error.code] ?? 400;

/**
 * The status of a REST reply. 200 whenever something ran: a result or an ack came back, or a
 * generation failed (`status: "error"`, a task outcome, as getResponse reports it). Only a reply
 * that is refusals alone takes the status of its first refusal, so that a client retrying on 429
 * or 5xx never resubmits a task that already ran (its taskUUID would then be a conflict).
 *
 * @param reply The body.
 * @returns The status, and `Retry-After` when the status asks the client to come back.
 */
export const statusOfReply = ({ data, errors }: OutboundFrame): { readonly status: number; readonly retryAfter?: number } => {
  const refusal = (data === undefined || data.length === 0) && errors !== undefined && !errors.some((error) => error.status === 'error') ? errors[0] : undefined;
  const status = refusal === undefined ? 200 : statusOfError(refusal);
  return status === 429 || status === 503 ? { status, retryAfter: RETRY_AFTER_SECONDS } : { status };
};
