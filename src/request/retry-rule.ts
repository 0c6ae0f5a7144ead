import { isTurnedAway } from '../errors/classify-server-code.js';
import type { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { isRetryable } from '../operators/retry-transient.js';

/**
 * What to do after a failure:
 * - `resend`: send what went unanswered again under the same taskUUID (the submission, or the
 *   poll): the server has not run the task, or will answer `conflictTaskUUID` if it has;
 * - `rerun`: run the task again under a new taskUUID, a new task that is billed again;
 * - `fail`: the request fails with the error.
 */
export type RetryDecision = 'resend' | 'rerun' | 'fail';

/** Where a task is when a failure reaches it. */
export interface FailureContext {
  /** The failure is one item's (the server ran the task and reports that item failed). */
  readonly item: boolean;
  /** The server acknowledged the task or reported on it (a result, a status, a failed item). */
  readonly accepted: boolean;
  /** What went unanswered was a status poll, not the submission. */
  readonly polling: boolean;
  /** Retries made so far. */
  readonly retries: number;
  /** The retry budget. */
  readonly maxRetries: number;
  /** Whether the caller allows a failed task to be re-run under a new taskUUID. */
  readonly retryFailed: boolean;
}

/**
 * The retry rule by phase, the one place it is decided. Failures before the server took the task
 * (the connection was lost, no answer came, the door was shut by a rate limit or a 5xx) send it
 * again under the same taskUUID, which the server never runs twice. Failures after it took the
 * task (a provider timed out, an item failed) are final by default, as the server itself says:
 * sending the same taskUUID again would only fetch the same failure. A caller who opts in with
 * `retryFailed` gets the task re-run under a new taskUUID instead.
 *
 * @param error What failed.
 * @param context Where the task is.
 * @returns The decision.
 */
export function retryDecision(error: unknown, context: FailureContext): RetryDecision {
  if (!isRetryable(error, context.retries, context.maxRetries)) return 'fail';
  if (beforeAcceptance(error, context)) return 'resend';
  return context.retryFailed ? 'rerun' : 'fail';
}

function beforeAcceptance(error: RunwareError, context: FailureContext): boolean {
  if (context.item) return false;
  // Our own deadlines and a lost link say nothing about what the server did with the task.
  if (error.code === 'connection' || (error instanceof TaskTimeoutError && error.phase !== 'total')) return true;
  return isTurnedAway(error.code) && (context.polling || !context.accepted);
}
