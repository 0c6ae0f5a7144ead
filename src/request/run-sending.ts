import { asyncScheduler } from 'rxjs';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { getResponseTask } from '../protocol/control-tasks.js';
import { failAttempt } from './run-failure.js';
import type { RunState } from './run-state.js';
import { armAnswer, deadlineOf, guard, identity, newTiming, presumeSent, submitted, write } from './run-state.js';

/*
 * What a request sent and how long it may wait for the answer: the answer deadline after
 * everything written (the acknowledgement, each pushed reply, each poll), the re-sends of an
 * unanswered poll, the whole-task deadline, and whether the task may have reached the server
 * (`submitted`, and `sent` on its errors).
 */

/**
 * The line says the task may have reached the server (a socket's frame written, an HTTP answer
 * or a failure after the request may have left): `submitted`, once, and the answer is timed.
 *
 * @param run The request.
 */
export function sent(run: RunState<unknown, unknown>): void {
  if (run.subscriber.closed) return;
  run.unconfirmed = false;
  if (run.awaiting === 'poll') run.timing?.written(asyncScheduler.now());
  else submitted(run);
  armAnswer(run);
}

/**
 * The line wrote the task where writing does not say whether it arrived (an HTTP request): the
 * answer is timed from the write, whenever (and whether) the line tells `sent`.
 *
 * @param run The request.
 */
export function written(run: RunState<unknown, unknown>): void {
  if (run.subscriber.closed) return;
  if (run.awaiting === 'poll') run.timing?.written(asyncScheduler.now());
  else run.unconfirmed = !run.sentOnce;
  armAnswer(run);
}

/**
 * The task's next poll is due, in a round due at `at`.
 *
 * @param run The request.
 * @param at When the round was due.
 */
export function pollDue(run: RunState<unknown, unknown>, at: number): void {
  if (run.subscriber.closed || run.line === undefined) return;
  (run.timing ??= newTiming(run, at, false)).due(at, false);
  write(run, getResponseTask(run.task.taskUUID), 'poll');
}

/**
 * What the task last wrote went unanswered for too long: a poll is sent again (up to
 * `pollRetries` times), a pushed task with failed items is re-run for every result missing,
 * anything else fails the attempt with the deadline's phase.
 *
 * @param run The request.
 */
export function unanswered(run: RunState<unknown, unknown>): void {
  guard(run, () => {
    const phase = run.awaiting;
    if (run.subscriber.closed || phase === 'nothing') return;
    presumeSent(run);
    // A caller may have unsubscribed on `submitted`.
    if (run.subscriber.closed) return;
    // The rest of a pushed task with failed items never came: the re-run asks for them too.
    if (phase === 'answer' && run.failedItems > 0) {
      failAttempt(run, run.itemFailure, true);
      return;
    }
    const { pollRetries } = run.context.policy;
    if (phase === 'poll' && run.pollResends < pollRetries) {
      run.pollResends += 1;
      run.timing?.due(asyncScheduler.now(), true);
      write(run, getResponseTask(run.task.taskUUID), 'poll');
      return;
    }
    failAttempt(run, new TaskTimeoutError(phase, deadlineOf(run, phase), identity(run)));
  });
}

/**
 * The whole-task deadline passed: the request fails.
 *
 * @param run The request.
 */
export function expired(run: RunState<unknown, unknown>): void {
  const { total } = run.plan;
  presumeSent(run);
  run.subscriber.error(new TaskTimeoutError('total', total, identity(run)));
}
