import type { Observable } from 'rxjs';
import { EMPTY, asyncScheduler, concat, concatMap, defer, filter, map, merge, of, retry, switchMap, take, throwError } from 'rxjs';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { answerWithin } from '../operators/answer-within.js';
import { pollDelay } from '../operators/poll-delay.js';
import { pollUntilDone } from '../operators/poll-until-done.js';
import { getResponseTask } from '../protocol/control-tasks.js';
import type { AttemptPlan } from './attempt-plan.js';
import { isDone } from './attempt-plan.js';
import { readAndReport } from './read-and-report.js';
import type { ReplyReading } from './read-reply.js';
import type { TaskChannel, TaskReply } from './task-channel.js';
import { taskChannel$ } from './task-channel.js';
import type { TaskContext } from './task-context.js';
import type { AttemptEvent } from './task-event.js';

const SUBMITTED: AttemptEvent = { type: 'submitted' };
const EMPTY_WAIT = /* @__PURE__ */ of(undefined);
const ACCEPTED: AttemptEvent = { type: 'accepted' };
const isSent = (reply: TaskReply): boolean => reply.type === 'sent';

/**
 * One attempt at a task whose results are polled: an async submission (acknowledged, then
 * polled with `getResponse`), or, in `poll` mode, a task submitted earlier that is only polled.
 * Built from the operators: `answerWithin` bounds the acknowledgement and each poll,
 * `pollUntilDone` paces the polls on the client's shared clock.
 *
 * @param context The client's connection, poll clock, rate gate and policy.
 * @param plan The task and how to read its replies.
 * @returns The attempt's events.
 */
export function polledAttempt(context: TaskContext, plan: AttemptPlan, progress: { accepted: boolean }): Observable<AttemptEvent> {
  // A submission waits while the server rate-limits this client; polls need not.
  return defer(() => (context.gate.isOpen() ? EMPTY_WAIT : context.gate.ready$.pipe(take(1)))).pipe(
    switchMap(() => taskChannel$(context.connection, plan.task.taskUUID)),
    switchMap((channel) => {
      if (plan.mode === 'poll' || progress.accepted) return pollTask(context, channel, plan, asyncScheduler.now());
      // Listen first, then send: a large submission may be written (and reported sent) at once.
      return merge(
        awaitAck(context, channel, plan, progress),
        defer(() => {
          channel.send(plan.task);
          return EMPTY;
        }),
      );
    }),
  );
}

/**
 * Polls a task under its taskUUID; exported for the pushed path, which falls back to it when
 * the server says it already has the task.
 *
 * @param context The client's connection, poll clock, rate gate and policy.
 * @param plan The task.
 * @returns The attempt's events from polling.
 */
export function pollExisting(context: TaskContext, plan: AttemptPlan): Observable<AttemptEvent> {
  return taskChannel$(context.connection, plan.task.taskUUID).pipe(
    switchMap((channel) => pollTask(context, channel, plan, asyncScheduler.now())),
  );
}

function awaitAck(context: TaskContext, channel: TaskChannel, plan: AttemptPlan, progress: { accepted: boolean }): Observable<AttemptEvent> {
  const { ackTimeout } = context.policy;
  return channel.replies$.pipe(
    answerWithin(isSent, ackTimeout, () => new TaskTimeoutError('ack', ackTimeout, plan.task)),
    concatMap((reply) => {
      if (reply.type === 'sent') return [SUBMITTED];
      const reading = readAndReport(context.gate, reply, plan.read);
      if (reading.taskError !== undefined) return eventsOf(reading);
      progress.accepted = true;
      return concat([ACCEPTED, ...reading.events], isDone(reading, plan) ? EMPTY : pollTask(context, channel, plan, reply.at));
    }),
  );
}

interface PollAnswer {
  readonly reading: ReplyReading;
  /** When the answer's frame arrived. */
  readonly at: number;
}

function pollTask(context: TaskContext, channel: TaskChannel, plan: AttemptPlan, acceptedAt: number): Observable<AttemptEvent> {
  const { pollTimeout, pollRetries } = context.policy;
  const schedule = pollDelay(context.policy.poll);
  const poll = (attempt: number): Observable<PollAnswer> =>
    defer(() => {
      channel.send(getResponseTask(plan.task.taskUUID));
      return channel.replies$.pipe(
        answerWithin(isSent, pollTimeout, () => new TaskTimeoutError('poll', pollTimeout, plan.task)),
        filter((reply) => reply.type === 'reply'),
        map((reply) => ({ reading: readAndReport(context.gate, reply, { ...plan.read, poll: attempt }), at: reply.at })),
      );
    }).pipe(retry(pollRetries));
  return pollUntilDone<PollAnswer>({
    poll,
    isDone: (answer) => answer.reading.taskError !== undefined || isDone(answer.reading, plan),
    delay: (attempt, previous) => {
      // A task being re-attached is polled at once: it may have finished long ago.
      if (plan.mode === 'poll' && attempt === 1) return 0;
      const planned = schedule(attempt, previous && { progress: previous.reading.progress, elapsed: previous.at - acceptedAt });
      // Counted from when the answer arrived, not from when this task got round to it: every
      // task answered in one frame is then due at the same moment and polls in the same frame.
      return Math.max(0, (previous?.at ?? acceptedAt) + planned - asyncScheduler.now());
    },
    wait: context.wait,
  }).pipe(concatMap(({ reading }) => eventsOf(reading)));
}

/** A reading's events, then its task error if it has one: items that arrived are never dropped. */
function eventsOf(reading: ReplyReading): Observable<AttemptEvent> | readonly AttemptEvent[] {
  const { taskError, events } = reading;
  return taskError === undefined ? events : concat(events, throwError(() => taskError));
}
