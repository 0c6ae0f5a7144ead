import { documentationFor } from '../errors.js';
import type { ErrorItem, OutboundFrame } from '../types.js';
import type { RateLimitCode } from './types.js';

/**
 * Wire items of injected faults, shaped like the API's (protocol §6.1-§6.3). Pure builders.
 */

/** A task with a known taskUUID. */
export interface NamedTask {
  readonly taskType: string;
  readonly taskUUID: string;
}

/** Codes a submitted task can be rejected with at the front door. */
export type RejectionCode = RateLimitCode | 'internalServerError';

const REJECTION_MESSAGES: Readonly<Record<RejectionCode, string>> = {
  rateLimitExceeded: 'Rate limit exceeded. Too many requests; retry after a short delay.',
  providerRateLimitExceeded: 'The provider rejected the request: rate limit exceeded. Retry after a short delay.',
  internalServerError: 'Internal server error. Please retry the request.',
};

/** What the Google provider answers when throttling, carried verbatim in `responseContent` (§6.1). */
const PROVIDER_RESPONSE =
  '{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}';

/** The error answering a task rejected at submission; it names the task so clients can route it. */
export const rejectionItem = (task: NamedTask, code: RejectionCode): ErrorItem => ({
  code,
  message: REJECTION_MESSAGES[code],
  taskType: task.taskType,
  taskUUID: task.taskUUID,
  documentation: documentationFor(task.taskType),
  ...(code === 'providerRateLimitExceeded' ? { responseContent: PROVIDER_RESPONSE } : {}),
});

const FAILURE_MESSAGES: Readonly<Record<string, string>> = {
  timeoutProvider: 'The provider did not answer in time. Please retry with a new taskUUID.',
  providerError: 'The provider failed to process the request.',
  contentPolicyViolation: 'The request was blocked by the content policy.',
  insufficientCredits: 'Insufficient credits to run this task.',
};

/** A failed generation (a provider-style failure); `getResponse` adds `status: "error"`. */
export const itemFailureItem = (task: NamedTask, code: string): ErrorItem => ({
  code,
  message: FAILURE_MESSAGES[code] ?? `Simulated failure: ${code}.`,
  taskType: task.taskType,
  taskUUID: task.taskUUID,
  documentation: documentationFor(task.taskType),
});

/** An error frame no client can route: no taskUUID, no taskType (protocol §6.3, last row). */
export const unroutableFrame = (code = 'internalServerError', message = 'Internal server error. Please try again later.'): OutboundFrame => ({
  errors: [{ code, message }],
});

/** Things a broken proxy or server bug might put on the wire; none of them parses as JSON. */
const GARBAGE = [
  '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>',
  '{"data":[{"taskType":"imageInference","taskUUID":',
  'undefined',
  '\u0000\u0007\ufffd\ufffd not json',
  '}{',
] as const;

/** The `index`-th garbage text, cycling through a fixed list so runs are reproducible. */
export const garbageText = (index: number): string => GARBAGE[index % GARBAGE.length]!;

/** The first taskUUID a frame names (results, acks, task errors, poll replies), if any. */
export const firstTaskUUID = ({ data, errors }: OutboundFrame): string | undefined =>
  data?.find((item) => item.taskUUID !== undefined)?.taskUUID ?? errors?.find((item) => item.taskUUID !== undefined)?.taskUUID;
