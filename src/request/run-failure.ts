import { forTask } from '../errors/for-task.js';
import { isRunwareError } from '../errors/guards.js';
import { RunwareError } from '../errors/runware-error.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import { scheduleAfter } from '../util/long-wait.js';
import type { RetryDecision } from './retry-rule.js';
import { rerunSeed, seedOf } from './rerun-seeds.js';
import { retryDecision } from './retry-rule.js';
import type { RunState } from './run-state.js';
import { detach, identity } from './run-state.js';

/**
 * An item failed, in a task not settled item by item (the collector's failure sink): the
 * request fails, or the retry rule re-runs it (`retryFailed`) once the reply is read and every
 * other item has come or failed (or a poll answer lists none still running): each item still
 * running is billed and is the caller's, and a new task made at once would lose it and make it
 * again. Pushed items that never come are asked for again when their answer deadline passes.
 *
 * @param run The request.
 * @param error The item's failure.
 */
export function itemFailed(run: RunState<unknown, unknown>, error: RunwareError): void {
  if (run.subscriber.closed) return;
  if (decide(run, error, true) !== 'rerun') {
    failAttempt(run, error, true);
    return;
  }
  run.failedItems += 1;
  run.itemFailure ??= error;
}

/**
 * The attempt failed (a task error, a failed item, a deadline, the link gave up): retry it by
 * the rule, or fail the request.
 *
 * @param run The request.
 * @param error What failed.
 * @param item Whether it is one item's failure.
 */
export function failAttempt(run: RunState<unknown, unknown>, error: unknown, item = false): void {
  if (run.subscriber.closed) return;
  const decision = decide(run, error, item);
  const failure = forTask(isRunwareError(error) ? error : new RunwareError({ code: 'unknown', message: String(error), cause: error }), identity(run));
  if (decision === 'fail') {
    run.subscriber.error(failure);
    return;
  }
  run.retries += 1;
  // A refusal that says when to come back (HTTP Retry-After, read by the stream line) is waited out.
  const delay = Math.max(run.context.policy.retryBackoff(run.retries), retryAfterOf(failure));
  detach(run);
  if (decision === 'rerun') rerun(run);
  // Set before the event is told: a caller that unsubscribes on it stops the wait with it. A
  // server may ask for a wait longer than one timer holds (a Retry-After of months).
  run.pause = scheduleAfter(delay, () => run.resume());
  const { retries: attempt } = run;
  run.collector.next(decision === 'rerun' ? { type: 'retrying', attempt, delay, error: failure, taskUUID: run.task.taskUUID, newTask: true } : { type: 'retrying', attempt, delay, error: failure });
}

function decide(run: RunState<unknown, unknown>, error: unknown, item: boolean): RetryDecision {
  return retryDecision(error, {
    item,
    accepted: run.accepted,
    polling: run.awaiting === 'poll' || (run.polling && run.awaiting === 'nothing'),
    retries: run.retries,
    maxRetries: run.context.policy.maxRetries,
    retryFailed: run.plan.retryFailed,
  });
}

/** A new task in place of the failed one: a new taskUUID, and only the results still missing. */
function rerun(run: RunState<unknown, unknown>): void {
  const { count, expected } = run.plan;
  const missing = expected - run.collector.delivered;
  const taskUUID = newTaskUUID();
  if (run.sentOnce) run.lastSent = run.task.taskUUID;
  const task: Record<string, unknown> = count === undefined ? { ...run.task, taskUUID } : { ...run.task, taskUUID, [count]: missing };
  // The missing results' seeds, not the delivered ones' (a seed makes a generation again).
  const { seeds } = run;
  if (seeds !== undefined) {
    const given = run.plan.task['seed'];
    const seed = rerunSeed(seedOf(given)!, expected, seeds, run.collector.delivered, given);
    if (seed === undefined) delete task['seed'];
    else task['seed'] = seed;
  }
  run.task = task as RunState<unknown, unknown>['task'];
  run.asked = missing;
  run.accepted = run.polling = false;
  run.sentOnce = false;
  run.failedItems = 0;
  run.pushedFailures = 0;
  run.itemFailure = undefined;
  run.timing = undefined;
  run.pushedContext = undefined;
}

/** The wait a failure asks for (`details.retryAfterMs`), or 0. */
function retryAfterOf(error: RunwareError): number {
  const wait = error.details?.['retryAfterMs'];
  return typeof wait === 'number' && Number.isFinite(wait) ? wait : 0;
}
