import type { Observable } from 'rxjs';
import { EMPTY, asyncScheduler, concat, concatMap, defer, filter, map, retry, switchMap, take, takeWhile, throwError } from 'rxjs';
import type { TaskChannel } from '../connection/connection.js';
import type { TaskReply } from '../connection/task-router.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { answerWithin } from '../operators/answer-within.js';
import { pollDelay } from '../operators/poll-delay.js';
import { pollUntilDone } from '../operators/poll-until-done.js';
import { getResponseTask } from '../protocol/control-tasks.js';
import type { OutboundTask } from '../protocol/frames.js';
import type { ReadContext, ReplyReading } from './read-reply.js';
import { readReply } from './read-reply.js';
import type { RateGate } from './rate-gate.js';
import type { TaskContext } from './task-context.js';
import type { AttemptEvent } from './task-event.js';

/** One task as it goes on the wire, and how to read its replies. */
export interface AttemptPlan {
  readonly task: OutboundTask & { readonly taskUUID: string; readonly taskType: string };
  /**
   * `sync`: the server pushes results. `async`: it acknowledges, then results are polled.
   * `poll`: the task was submitted earlier (by another process, before a reload): only poll it.
   */
  readonly mode: 'sync' | 'async' | 'poll';
  readonly read: ReadContext;
  readonly settled: boolean;
}

const SUBMITTED: AttemptEvent = { type: 'submitted' };
const ACCEPTED: AttemptEvent = { type: 'accepted' };
const isSent = (reply: TaskReply): boolean => reply.type === 'sent';

/**
 * One attempt at a task: attach to its taskUUID, send it, and report what happens. Pushed
 * results stream as they come; an async task waits for its acknowledgement and is then polled.
 * A `conflictTaskUUID` answer means the server already has the task (a re-send after a
 * reconnect or a retry), so the attempt polls it instead of failing. Re-subscribing is a new
 * attempt with the same taskUUID.
 *
 * @param context The client's connection, poll clock and policy.
 * @param plan The task and how to read its replies.
 * @returns The attempt's events; it never completes by itself (the collector ends it).
 */
export function runAttempt(context: TaskContext, plan: AttemptPlan): Observable<AttemptEvent> {
  return context.gate.ready$.pipe(
    take(1),
    switchMap(() => context.connection.attach$(plan.task.taskUUID)),
    switchMap((channel) => {
      const poll$ = defer(() => pollTask(context, channel, plan));
      if (plan.mode === 'poll') return poll$;
      channel.send(plan.task);
      return plan.mode === 'async' ? awaitAck(context, channel, plan, poll$) : pushed(context, channel, plan, poll$);
    }),
  );
}

/** Reads a reply and tells the rate gate whether the server is rate limiting. */
function read(gate: RateGate, reply: Parameters<typeof readReply>[0], context: ReadContext): ReplyReading {
  const reading = readReply(reply, context);
  if (reading.taskError?.code === 'rateLimit') gate.limited();
  else gate.passed();
  return reading;
}

function pushed(context: TaskContext, channel: TaskChannel, plan: AttemptPlan, poll$: Observable<AttemptEvent>): Observable<AttemptEvent> {
  return channel.replies$.pipe(
    map((reply) => (reply.type === 'sent' ? undefined : read(context.gate, reply, plan.read))),
    takeWhile((reading) => reading === undefined || !reading.conflict, true),
    concatMap((reading) => {
      if (reading === undefined) return [SUBMITTED];
      if (reading.conflict) return poll$;
      return eventsOf(reading);
    }),
  );
}

function awaitAck(context: TaskContext, channel: TaskChannel, plan: AttemptPlan, poll$: Observable<AttemptEvent>): Observable<AttemptEvent> {
  const { ackTimeout } = context.policy;
  return channel.replies$.pipe(
    answerWithin(isSent, ackTimeout, () => new TaskTimeoutError('ack', ackTimeout, plan.task)),
    concatMap((reply) => {
      if (reply.type === 'sent') return [SUBMITTED];
      const reading = read(context.gate, reply, plan.read);
      if (reading.taskError !== undefined) return eventsOf(reading);
      return concat([ACCEPTED, ...reading.events], isDone(reading, plan) ? EMPTY : poll$);
    }),
  );
}

interface PollAnswer {
  readonly reading: ReplyReading;
  readonly at: number;
}

function pollTask(context: TaskContext, channel: TaskChannel, plan: AttemptPlan): Observable<AttemptEvent> {
  const { pollTimeout, pollRetries } = context.policy;
  const schedule = pollDelay(context.policy.poll);
  const startedAt = asyncScheduler.now();
  const poll = (attempt: number): Observable<PollAnswer> =>
    defer(() => {
      channel.send(getResponseTask(plan.task.taskUUID));
      return channel.replies$.pipe(
        answerWithin(isSent, pollTimeout, () => new TaskTimeoutError('poll', pollTimeout, plan.task)),
        filter((reply) => reply.type === 'reply'),
        map((reply) => ({ reading: read(context.gate, reply, { ...plan.read, poll: attempt }), at: asyncScheduler.now() })),
      );
    }).pipe(retry(pollRetries));
  return pollUntilDone<PollAnswer>({
    poll,
    isDone: (answer) => answer.reading.taskError !== undefined || isDone(answer.reading, plan),
    // A task being re-attached is polled at once: it may have finished long ago.
    delay: (attempt, previous) =>
      plan.mode === 'poll' && attempt === 1
        ? 0
        : schedule(attempt, previous && { progress: previous.reading.progress, elapsed: previous.at - startedAt }),
    wait: context.wait,
  }).pipe(
    concatMap(({ reading }) => eventsOf(reading)),
  );
}

/** A reading's events, then its task error if it has one: items that arrived are never dropped. */
function eventsOf(reading: ReplyReading): Observable<AttemptEvent> | readonly AttemptEvent[] {
  const { taskError, events } = reading;
  return taskError === undefined ? events : concat(events, throwError(() => taskError));
}

function isDone(reading: ReplyReading, plan: AttemptPlan): boolean {
  return reading.successes + reading.failures >= plan.read.expected || (!plan.settled && reading.failures > 0);
}
