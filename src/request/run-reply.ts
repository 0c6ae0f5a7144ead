import type { DataItem, ErrorItem } from '../protocol/frames.js';
import type { AttemptEvent } from '../events/task-event.js';
import { pollAnswerDone } from './poll-answer-done.js';
import { readAndReport } from './read-and-report.js';
import { noteSeed } from './rerun-seeds.js';
import type { ReadContext, ReplyReading } from './read-reply.js';
import { failAttempt } from './run-failure.js';
import type { Awaiting, RunState } from './run-state.js';
import { armAnswer, newTiming } from './run-state.js';

const ACCEPTED: AttemptEvent = { type: 'accepted' };

/**
 * What a reply for the task does, whatever brought it (a pushed frame, a poll answer, an event
 * of a stream): the results and statuses it reports (with result numbering and de-duplication by
 * the collector), the acknowledgement, a conflict (the server already has the task), the end of
 * the task, a failure by the retry rule, or what it waits for next.
 *
 * @param run The request.
 * @param data The reply's data items for the task.
 * @param errors Its error items for the task.
 * @param at When it arrived (scheduler time).
 */
export function readReply(run: RunState<unknown, unknown>, data: readonly DataItem[], errors: readonly ErrorItem[], at: number): void {
  if (run.subscriber.closed) return;
  const answered = run.awaiting;
  run.context.answers.clear(run);
  run.awaiting = 'nothing';
  run.pollResends = 0;
  const reading = readAndReport(run.context.gate, data, errors, readContext(run, answered, at, data));
  if (reading.conflict) {
    conflicted(run, reading, at);
    return;
  }
  if (reading.taskError === undefined && !run.accepted) {
    run.accepted = true;
    if (answered === 'ack') {
      run.timing = newTiming(run, at, true);
      run.collector.next(ACCEPTED);
    }
  }
  if (answered !== 'poll') run.pushedFailures += reading.failures;
  // Before the events: the last result ends the request while they are delivered.
  if (answered === 'poll' && reading.taskError === undefined) run.timing?.observe(reading, at, run.asked);
  if (!deliver(run, reading)) return;
  const { collector, plan } = run;
  if (reading.taskError !== undefined) failAttempt(run, reading.taskError);
  // Items failed, to be made again by a new task, after the whole reply was read (every failure
  // of a frame counted, every result of it kept), once every other item has come (each is
  // billed and the caller's; a new task made at once would lose it and make it again) or a poll
  // answer lists none still running. Pushed items that never come are given up on at their
  // answer deadline (run-sending.ts).
  else if (run.failedItems > 0) {
    // Every failure of a pushed task came in a pushed reply; what was polled is counted once each.
    const settled = plan.expected - collector.delivered <= (run.polling ? run.failedItems : run.pushedFailures);
    if (settled || (answered === 'poll' && reading.running === 0)) failAttempt(run, run.itemFailure, true);
    else next(run, answered, at, reading);
  }
  // A poll answer is the task's whole state: when it says every item is done, the task is. What
  // is pushed may repeat itself, so there only the count of items delivered ends the task.
  else if (answered === 'poll' && (plan.once === true || pollAnswerDone(reading, run.asked, plan.settled))) run.subscriber.complete();
  else next(run, answered, at, reading);
}

/**
 * The server already has the task (a re-send, or a taskUUID chosen by the caller): what the same
 * frame brought for it is the caller's (a result of the task it had, which may end the request),
 * then the task is polled at once, since it may have finished long ago.
 */
function conflicted(run: RunState<unknown, unknown>, reading: ReplyReading, at: number): void {
  (run.timing ??= newTiming(run, at, false)).foundRunning(at);
  run.accepted = run.polling = true;
  if (deliver(run, reading)) run.context.polls.set(run, at);
}

/**
 * Hands a reply's events to the collector (noting the seeds of results, when a re-run may need
 * them).
 *
 * @returns Whether the request goes on: the events may have ended it (its last result), or failed it into a retry.
 */
function deliver(run: RunState<unknown, unknown>, reading: ReplyReading): boolean {
  const { generation, collector, seeds } = run;
  const { events } = reading;
  if (events.length === 0) return true;
  collector.beginReply();
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index]!;
    if (seeds !== undefined && event.type === 'item') noteSeed(seeds, event.item);
    collector.next(event);
  }
  return !run.subscriber.closed && generation === run.generation;
}

/** What follows a reply that did not end the task: the next poll, or more pushed replies. */
function next(run: RunState<unknown, unknown>, answered: Awaiting, at: number, reading: ReplyReading): void {
  if (answered === 'ack' || answered === 'poll') {
    run.polling = true;
    run.context.polls.set(run, (run.timing ??= newTiming(run, at, false)).nextAt(at, answered === 'poll', reading.progress));
  } else if (!run.polling) {
    run.awaiting = 'answer';
    armAnswer(run);
    run.line?.awaitMore();
  }
}

/**
 * What a reply is read against: for a pushed reply the same every time (made once, until a
 * re-run changes the taskUUID), for a poll answer its number and the estimated progress. A
 * polled task's reply that no poll waits for but whose every item states its status is a copy of
 * a poll's answer (the poll was sent again, after its deadline or a reconnect, and more than one
 * copy was answered): read as pushed, every copy would count its texts again, so it is read as a
 * whole state. One without statuses is a result pushed as it was made (a sync task polled after
 * a conflict): read as a whole state, two identical texts pushed apart would be taken for one.
 */
function readContext(run: RunState<unknown, unknown>, answered: Awaiting, at: number, data: readonly DataItem[]): ReadContext {
  const { taskUUID, taskType } = run.task;
  const { expected, reader, settled } = run.plan;
  if (answered !== 'poll') {
    return run.polling && statesItself(data) ? { taskUUID, taskType, expected, reader, settled, cumulative: true } : (run.pushedContext ??= { taskUUID, taskType, expected, reader, settled });
  }
  const timing = (run.timing ??= newTiming(run, at, false));
  return { taskUUID, taskType, expected, reader, settled, poll: timing.polls, estimate: timing.estimate(at) };
}

/** Whether every item of a reply states its status, as a poll answer's do (§5.3) and pushed results need not. */
function statesItself(data: readonly DataItem[]): boolean {
  if (data.length === 0) return false;
  for (let index = 0; index < data.length; index += 1) if (typeof data[index]!.status !== 'string') return false;
  return true;
}
