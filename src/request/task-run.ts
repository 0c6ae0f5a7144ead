import type { Subscriber, Subscription } from 'rxjs';
import { Observable, asyncScheduler, take } from 'rxjs';
import type { TaskLine } from '../connection/connection.js';
import type { RouteListener } from '../connection/route.js';
import { forTask } from '../errors/for-task.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { TaskEvent } from '../events/task-event.js';
import type { ItemFailureSink } from '../operators/collect-results.js';
import { Collector } from '../operators/collect-results.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import type { DueLink } from './deadline-alarm.js';
import type { SlotHolder } from './in-flight-limiter.js';
import type { PollTiming } from './poll-timing.js';
import type { ReadContext } from './read-reply.js';
import type { AbortError, Abortable, RunningRequest } from './request-registry.js';
import { failAttempt, itemFailed } from './run-failure.js';
import { seedsKeptFor } from './rerun-seeds.js';
import { readReply } from './run-reply.js';
import { expired, pollDue, sent, unanswered, written } from './run-sending.js';
import type { Awaiting, RunState } from './run-state.js';
import { detach, guard, identity, newTiming, presumeSent, write } from './run-state.js';
import type { TaskAlarms, TaskContext } from './task-context.js';
import type { TaskPlan } from './task-plan.js';

/**
 * Runs one request, whatever its delivery, as a cold Observable: the one engine. Each rule is
 * written once, here or in the piece it calls: a slot (`maxInFlight`), the rate gate before every
 * submission, the whole-task deadline and an answer deadline after everything written
 * (run-sending.ts), what each reply does (run-reply.ts), the retry rule by phase (run-failure.ts,
 * `retry-rule.ts`), result numbering and de-duplication (`Collector`), and `disconnect()`'s
 * registry.
 *
 * @param context The client's connection, alarms, limits and policy.
 * @param plan The request.
 * @returns The request's events.
 */
export function runTask<R, U = never>(context: TaskContext, plan: TaskPlan): Observable<TaskEvent<R, U>> {
  return new Observable<TaskEvent<R, U>>((subscriber) => startTask(context, plan, subscriber));
}

/**
 * Starts one request for a subscriber that already exists (what {@link runTask} does on each
 * subscription), for callers that check the request in the same subscription.
 *
 * @param context The client's connection, alarms, limits and policy.
 * @param plan The request.
 * @param subscriber Who receives the request's events.
 * @returns The request's teardown and its abort.
 */
export function startTask<R, U>(context: TaskContext, plan: TaskPlan, subscriber: Subscriber<TaskEvent<R, U>>): RunningRequest {
  return new TaskRun<R, U>(context, plan, subscriber).enter();
}

/**
 * One request's state (run-state.ts). It is its own route listener, alarm entry, slot holder,
 * abort handle and teardown: nearly every request of a busy client is in flight at once, so it is
 * one object with its methods on a prototype rather than an operator chain (a subscriber and
 * closures per link). Its methods hand each event to the part of the run that deals with it.
 */
class TaskRun<R, U> implements RunState<R, U>, RouteListener, TaskAlarms, SlotHolder, Abortable, ItemFailureSink {
  readonly collector: Collector<R, U>;
  task: TaskPlan['task'];
  retries = 0;
  asked: number;
  sentOnce: boolean;
  unconfirmed = false;
  lastSent: string | undefined = undefined;
  failedItems = 0;
  pushedFailures = 0;
  itemFailure: RunwareError | undefined = undefined;
  accepted: boolean;
  polling: boolean;
  awaiting: Awaiting = 'nothing';
  pollResends = 0;
  timing: PollTiming | undefined = undefined;
  pushedContext: ReadContext | undefined = undefined;
  generation = 0;
  line: TaskLine | undefined = undefined;
  /** Its places in the client's deadline alarms, kept by them. */
  deadlineLink: DueLink<TaskAlarms> | undefined = undefined;
  answerLink: DueLink<TaskAlarms> | undefined = undefined;
  /** The wait for the rate gate to open, while it lasts. */
  private waiting: Subscription | undefined;
  pause: Subscription | undefined = undefined;
  readonly seeds: Set<bigint> | undefined;

  constructor(
    readonly context: TaskContext,
    readonly plan: TaskPlan,
    readonly subscriber: Subscriber<TaskEvent<R, U>>,
  ) {
    this.task = plan.task;
    this.asked = plan.expected;
    this.seeds = seedsKeptFor(plan);
    // A task only attached to was submitted (and may be billed) before this request began.
    this.accepted = this.polling = this.sentOnce = !plan.submit;
    // An attached task is timed from when this request began watching it.
    if (!plan.submit) this.timing = newTiming(this, asyncScheduler.now(), false);
    const { taskUUID, taskType } = plan.task;
    this.collector = new Collector<R, U>(subscriber, { taskUUID, taskType, expected: plan.expected, keyOf: plan.reader.key, settled: plan.settled }, this);
  }

  /** Registers the request and asks for a slot (unless `noSlot`); its deadline starts once it has one. */
  enter(): this {
    this.context.requests.enter(this);
    if (this.plan.noSlot === true || this.context.limiter.acquire(this)) this.granted();
    return this;
  }

  /** It has its slot: at once, or in the teardown of the request whose slot it takes, where a fault must end this one only. */
  granted(): void {
    guard(this, () => {
      if (this.subscriber.closed) return;
      const { total, spent } = this.plan;
      if (total !== Infinity) this.context.deadlines.set(this, asyncScheduler.now() + total - (spent ?? 0));
      this.start();
    });
  }

  /** The retry's backoff is over (a scheduler action). */
  resume(): void {
    guard(this, () => this.start());
  }

  /** Submits (or polls) now, or once the client's rate gate opens; polls do not wait for it. */
  start(): void {
    this.pause = undefined;
    if (this.subscriber.closed) return;
    const { gate } = this.context;
    if (this.polling || gate.isOpen()) this.begin();
    else this.waiting = gate.ready$.pipe(take(1)).subscribe(() => guard(this, () => this.begin()));
  }

  /** Joins the task's line, then sends the submission or the first poll. */
  private begin(): void {
    const generation = ++this.generation;
    const { connection } = this.context;
    const line = this.plan.overHttp === true ? connection.stream(this) : connection.join(this.task.taskUUID, this, this.plan.answeredAs);
    // Joining starts the connection, which may fail at once (a constructor that throws) and fail
    // or retry this task before we get here: then this line is stale.
    if (generation !== this.generation || this.subscriber.closed) {
      line.leave();
      return;
    }
    this.line = line;
    if (!this.polling) write(this, this.task, this.plan.delivery === 'poll' || this.task['deliveryMethod'] === 'async' ? 'ack' : 'answer');
    else this.context.polls.set(this, asyncScheduler.now());
  }

  sent(): void {
    sent(this);
  }

  written(): void {
    written(this);
  }

  reply(data: readonly DataItem[], errors: readonly ErrorItem[], at: number): void {
    readReply(this, data, errors, at);
  }

  fail(error: RunwareError): void {
    failAttempt(this, error);
  }

  itemFailed(error: RunwareError): void {
    itemFailed(this, error);
  }

  pollDue(at: number): void {
    pollDue(this, at);
  }

  unanswered(): void {
    unanswered(this);
  }

  expired(): void {
    expired(this);
  }

  abort(error: AbortError): void {
    // Taken as sent first, so that the error says what the server may have.
    presumeSent(this);
    const task = identity(this);
    this.subscriber.error(forTask(error(task), task));
  }

  unsubscribe(): void {
    const { requests, limiter, deadlines } = this.context;
    requests.leave(this);
    if (this.plan.noSlot !== true) limiter.release(this);
    deadlines.clear(this);
    this.waiting?.unsubscribe();
    this.pause?.unsubscribe();
    detach(this);
  }
}
