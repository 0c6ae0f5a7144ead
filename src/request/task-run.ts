import type { SchedulerAction, Subscriber, Subscription, Unsubscribable } from 'rxjs';
import { Observable, asyncScheduler, take } from 'rxjs';
import type { TaskLine } from '../connection/connection.js';
import type { RouteListener } from '../connection/route.js';
import type { TaskIdentity } from '../errors/for-task.js';
import { forTask } from '../errors/for-task.js';
import { isRunwareError } from '../errors/guards.js';
import { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { TimeoutPhase } from '../errors/task-timeout-error.js';
import type { AttemptEvent, TaskEvent } from '../events/task-event.js';
import type { ItemFailureSink } from '../operators/collect-results.js';
import { Collector } from '../operators/collect-results.js';
import { getResponseTask } from '../protocol/control-tasks.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import type { DueLink } from './deadline-alarm.js';
import type { SlotHolder } from './in-flight-limiter.js';
import { pollAnswerDone } from './poll-answer-done.js';
import { readAndReport } from './read-and-report.js';
import type { ReadContext, ReplyReading } from './read-reply.js';
import { PollTiming } from './poll-timing.js';
import { readyKey } from './ready-key.js';
import type { Abortable } from './request-registry.js';
import type { RetryDecision } from './retry-rule.js';
import { retryDecision } from './retry-rule.js';
import type { TaskAlarms, TaskContext } from './task-context.js';
import type { TaskPlan } from './task-plan.js';

const SUBMITTED: AttemptEvent = { type: 'submitted' };
const ACCEPTED: AttemptEvent = { type: 'accepted' };

/** What a task waits for: nothing, the acknowledgement of a polled task, a pushed reply, a poll answer. */
type Awaiting = 'nothing' | 'ack' | 'answer' | 'poll';

/**
 * Runs one request, whatever its delivery, as a cold Observable: the one engine. Each rule is
 * written once, here or in the piece it calls: a slot (`maxInFlight`), the rate gate before every
 * submission, the whole-task deadline, an answer deadline after everything written (the
 * acknowledgement, each pushed reply, each poll), the retry rule by phase (`retry-rule.ts`),
 * result numbering and de-duplication (`Collector`), and `disconnect()`'s registry.
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
 * @returns The request's teardown.
 */
export function startTask<R, U>(context: TaskContext, plan: TaskPlan, subscriber: Subscriber<TaskEvent<R, U>>): Unsubscribable {
  return new TaskRun<R, U>(context, plan, subscriber).enter();
}

/**
 * One request's state. It is its own route listener, alarm entry, slot holder, abort handle and
 * teardown: nearly every request of a busy client is in flight at once, so it is one object with
 * its methods on a prototype rather than an operator chain (a subscriber and closures per link).
 */
class TaskRun<R, U> implements RouteListener, TaskAlarms, SlotHolder, Abortable, ItemFailureSink {
  private readonly collector: Collector<R, U>;
  private task: TaskPlan['task'];
  private retries = 0;
  /** How many items the present task asked for: a re-run asks only for those still missing. */
  private asked: number;
  private sentOnce = false;
  /**
   * The present submission was written where nothing says yet whether it reached the server (an
   * HTTP request on its way): whatever gives up on it (a deadline, an abort) takes it as sent, since
   * nothing proved that it never left.
   */
  private unconfirmed = false;
  /** The taskUUID of the last task of this request that was sent, when the present one was not (yet). */
  private lastSent: string | undefined;
  /** Items of the present task that failed and that a new task is to make again, once it settled the others. */
  private failedItems = 0;
  private itemFailure: RunwareError | undefined;
  /** The server took the task: it acknowledged it or reported on it. */
  private accepted: boolean;
  /** The task is polled from now on: a polled delivery past its acknowledgement, a conflict, an attach. */
  private polling: boolean;
  private awaiting: Awaiting = 'nothing';
  private pollResends = 0;
  /** The present task's polls, from when it is accepted to be polled (a pushed task never has one). */
  private timing: PollTiming | undefined;
  /** What pushed replies are read against, made on the first. */
  private pushedContext: ReadContext | undefined;
  /** Bumped whenever the task lets go of its line, so anything that happened in passing is stale. */
  private generation = 0;
  private line: TaskLine | undefined;
  /** Its places in the client's deadline alarms, kept by them. */
  deadlineLink: DueLink<TaskAlarms> | undefined = undefined;
  answerLink: DueLink<TaskAlarms> | undefined = undefined;
  private waiting: Subscription | undefined;
  private pause: Subscription | undefined;

  constructor(
    private readonly context: TaskContext,
    private readonly plan: TaskPlan,
    private readonly subscriber: Subscriber<TaskEvent<R, U>>,
  ) {
    this.task = plan.task;
    this.asked = plan.expected;
    // A task only attached to was submitted (and may be billed) before this request began.
    this.accepted = this.polling = this.sentOnce = !plan.submit;
    // An attached task is timed from when this request began watching it.
    if (!plan.submit) this.timing = this.newTiming(asyncScheduler.now(), false);
    const { taskUUID, taskType } = plan.task;
    this.collector = new Collector<R, U>(
      subscriber,
      { taskUUID, taskType, expected: plan.expected, keyOf: plan.reader.key, settled: plan.settled },
      this,
    );
  }

  /** Registers the request and asks for a slot; its deadline starts once it has one. */
  enter(): this {
    this.context.requests.enter(this);
    if (this.context.limiter.acquire(this)) this.guard(() => this.granted());
    return this;
  }

  granted(): void {
    if (this.subscriber.closed) return;
    const { total, spent } = this.plan;
    if (total !== Infinity) this.context.deadlines.set(this, asyncScheduler.now() + total - (spent ?? 0));
    this.start();
  }

  /** The retry's backoff is over (a scheduler action). */
  resume(): void {
    this.guard(() => this.start());
  }

  /** Submits (or polls) now, or once the client's rate gate opens; polls do not wait for it. */
  start(): void {
    this.pause = undefined;
    if (this.subscriber.closed) return;
    const { gate } = this.context;
    if (this.polling || gate.isOpen()) this.begin();
    else this.waiting = gate.ready$.pipe(take(1)).subscribe(() => this.guard(() => this.begin()));
  }

  sent(): void {
    if (this.subscriber.closed) return;
    this.unconfirmed = false;
    if (this.awaiting === 'poll') this.timing?.written(asyncScheduler.now());
    else this.submitted();
    this.armAnswer();
  }

  /** The answer is timed from the write, whenever (and whether) the line tells `sent`. */
  written(): void {
    if (this.subscriber.closed) return;
    if (this.awaiting === 'poll') this.timing?.written(asyncScheduler.now());
    else this.unconfirmed = !this.sentOnce;
    this.armAnswer();
  }

  /** Tells `submitted` the first time the present task may have reached the server. */
  private submitted(): void {
    if (this.sentOnce) return;
    this.sentOnce = true;
    this.collector.next(SUBMITTED);
  }

  /** A submission given up on while nothing said whether it arrived is taken as sent (and told so). */
  private presumeSent(): void {
    if (!this.unconfirmed) return;
    this.unconfirmed = false;
    this.submitted();
  }

  reply(data: readonly DataItem[], errors: readonly ErrorItem[], at: number): void {
    if (this.subscriber.closed) return;
    const answered = this.awaiting;
    this.context.answers.clear(this);
    this.awaiting = 'nothing';
    this.pollResends = 0;
    const reading = readAndReport(this.context.gate, data, errors, this.readContext(answered === 'poll', at));
    if (reading.conflict) {
      // The server already has the task (a re-send, or a taskUUID chosen by the caller): poll it
      // at once, since it may have finished long ago.
      (this.timing ??= this.newTiming(at, false)).foundRunning(at);
      this.accepted = this.polling = true;
      this.context.polls.set(this, at);
      return;
    }
    if (reading.taskError === undefined && !this.accepted) {
      this.accepted = true;
      if (answered === 'ack') {
        this.timing = this.newTiming(at, true);
        this.collector.next(ACCEPTED);
      }
    }
    // Before the events: the last result ends the request while they are delivered.
    if (answered === 'poll' && reading.taskError === undefined) this.timing?.observe(reading, at, this.asked);
    const generation = this.generation;
    this.collector.beginReply();
    const { events } = reading;
    for (let index = 0; index < events.length; index += 1) this.collector.next(events[index]!);
    // The events may have ended the request (its last result), or failed it into a retry.
    if (this.subscriber.closed || generation !== this.generation) return;
    if (reading.taskError !== undefined) this.fail(reading.taskError);
    // Items failed, to be made again by a new task, after the whole reply was read (every failure
    // of a frame counted, every result of it kept): a pushed task at once, a polled one once it
    // has settled every other item or a poll answer lists none still running.
    else if (this.failedItems > 0) {
      const settled = this.plan.expected - this.collector.delivered <= this.failedItems;
      if (!this.polling || settled || (answered === 'poll' && reading.running === 0)) this.fail(this.itemFailure, true);
      else this.next(answered, at, reading);
    }
    // A poll answer is the task's whole state: when it says every item is done, the task is. What
    // is pushed may repeat itself, so there only the count of items delivered ends the task.
    else if (answered === 'poll' && (this.plan.once === true || pollAnswerDone(reading, this.asked, this.plan.settled))) this.subscriber.complete();
    else this.next(answered, at, reading);
  }

  /** What follows a reply that did not end the task: the next poll, or more pushed replies. */
  private next(answered: Awaiting, at: number, reading: ReplyReading): void {
    if (answered === 'ack' || answered === 'poll') {
      this.polling = true;
      this.context.polls.set(this, (this.timing ??= this.newTiming(at, false)).nextAt(at, answered === 'poll', reading.progress));
    } else if (!this.polling) {
      this.awaiting = 'answer';
      this.armAnswer();
      this.line?.awaitMore();
    }
  }

  /**
   * What a reply is read against: for a pushed reply the same every time (made once, until a
   * re-run changes the taskUUID), for a poll answer its number and the estimated progress.
   */
  private readContext(poll: boolean, at: number): ReadContext {
    const { taskUUID, taskType } = this.task;
    const { expected, reader, settled } = this.plan;
    if (!poll) return (this.pushedContext ??= { taskUUID, taskType, expected, reader, settled });
    const timing = (this.timing ??= this.newTiming(at, false));
    return { taskUUID, taskType, expected, reader, settled, poll: timing.polls, estimate: timing.estimate(at) };
  }

  /** The present task's poll clock, from its acceptance at `at`; an attached task is neither learned from nor planned by its kind. */
  private newTiming(at: number, learnable: boolean): PollTiming {
    return new PollTiming(this.context.planner, { key: this.plan.submit ? readyKey(this.task) : undefined, hint: this.plan.hint }, at, learnable);
  }

  /** Starts the deadline for what the task waits for (an acknowledgement, a pushed reply, a poll answer). */
  private armAnswer(): void {
    if (this.awaiting !== 'nothing') this.context.answers.set(this, asyncScheduler.now() + this.deadlineOf(this.awaiting));
  }

  pollDue(at: number): void {
    if (this.subscriber.closed || this.line === undefined) return;
    (this.timing ??= this.newTiming(at, false)).due(at, false);
    this.write(getResponseTask(this.task.taskUUID), 'poll');
  }

  unanswered(): void {
    this.guard(() => {
      const phase = this.awaiting;
      if (this.subscriber.closed || phase === 'nothing') return;
      this.presumeSent();
      // A caller may have unsubscribed on `submitted`.
      if (this.subscriber.closed) return;
      const { pollRetries } = this.context.policy;
      if (phase === 'poll' && this.pollResends < pollRetries) {
        this.pollResends += 1;
        this.timing?.due(asyncScheduler.now(), true);
        this.write(getResponseTask(this.task.taskUUID), 'poll');
        return;
      }
      this.fail(new TaskTimeoutError(phase, this.deadlineOf(phase), this.identity()));
    });
  }

  expired(): void {
    const { total } = this.plan;
    this.presumeSent();
    this.subscriber.error(new TaskTimeoutError('total', total, this.identity()));
  }

  /**
   * An item failed, in a task not settled item by item (the collector's failure sink): the
   * request fails, or the retry rule re-runs it (`retryFailed`) once the reply is read. A polled
   * task's re-run waits until its answers list no item still running: each of those is billed and
   * is the caller's, and a new task made at once would lose them and make them again. A pushed
   * task is re-run at the end of the reply: nothing the server pushes says whether more is
   * coming, and waiting for an answer deadline would hold every failed request for minutes.
   */
  itemFailed(error: RunwareError): void {
    if (this.subscriber.closed) return;
    if (this.decide(error, true) !== 'rerun') {
      this.fail(error, true);
      return;
    }
    this.failedItems += 1;
    this.itemFailure ??= error;
  }

  /**
   * The attempt failed (a task error, a failed item, a deadline, the link gave up): retry it by
   * the rule, or fail the request.
   */
  fail(error: unknown, item = false): void {
    if (this.subscriber.closed) return;
    const decision = this.decide(error, item);
    const failure = forTask(isRunwareError(error) ? error : new RunwareError({ code: 'unknown', message: String(error), cause: error }), this.identity());
    if (decision === 'fail') {
      this.subscriber.error(failure);
      return;
    }
    this.retries += 1;
    // A refusal that says when to come back (HTTP Retry-After, read by the stream line) is waited out.
    const delay = Math.max(this.context.policy.retryBackoff(this.retries), retryAfterOf(failure));
    this.detach();
    if (decision === 'rerun') this.rerun();
    // Set before the event is told: a caller that unsubscribes on it stops the wait with it.
    this.pause = asyncScheduler.schedule(resume, delay, this);
    const { retries: attempt } = this;
    this.collector.next(decision === 'rerun' ? { type: 'retrying', attempt, delay, error: failure, taskUUID: this.task.taskUUID, newTask: true } : { type: 'retrying', attempt, delay, error: failure });
  }

  private decide(error: unknown, item: boolean): RetryDecision {
    return retryDecision(error, {
      item,
      accepted: this.accepted,
      polling: this.awaiting === 'poll' || (this.polling && this.awaiting === 'nothing'),
      retries: this.retries,
      maxRetries: this.context.policy.maxRetries,
      retryFailed: this.plan.retryFailed,
    });
  }

  abort(error: RunwareError): void {
    this.presumeSent();
    this.subscriber.error(forTask(error, this.identity()));
  }

  unsubscribe(): void {
    const { requests, limiter, deadlines } = this.context;
    requests.leave(this);
    limiter.release(this);
    deadlines.clear(this);
    this.waiting?.unsubscribe();
    this.pause?.unsubscribe();
    this.detach();
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
    if (!this.polling) this.write(this.task, this.plan.delivery === 'poll' || this.task['deliveryMethod'] === 'async' ? 'ack' : 'answer');
    else this.context.polls.set(this, asyncScheduler.now());
  }

  private write(task: OutboundTask, awaiting: Awaiting): void {
    this.awaiting = awaiting;
    try {
      this.line?.send(task);
    } catch (cause) {
      // The task cannot be serialised (a BigInt, a cycle): it can never be sent, and must not
      // throw into the timer or the gate that is sending it.
      this.subscriber.error(
        new RunwareError({ code: 'validation', message: `The ${task.taskType} task cannot be sent as JSON: ${String(cause)}`, retryable: false, taskUUID: task.taskUUID, taskType: task.taskType, sent: this.sentOnce, cause }),
      );
    }
  }

  /**
   * The safety net under every entry point that runs from a timer, the rate gate or another
   * request's teardown: a fault of runware-rx or of a task definition ends this one request with a
   * typed error instead of escaping into the scheduler, where it would take the process down.
   */
  private guard(step: () => void): void {
    try {
      step();
    } catch (cause) {
      this.subscriber.error(forTask(new RunwareError({ code: 'unknown', message: `runware-rx failed while running the task: ${String(cause)}`, retryable: false, cause }), this.identity()));
    }
  }

  /** A new task in place of the failed one: a new taskUUID, and only the results still missing. */
  private rerun(): void {
    const { count } = this.plan;
    const missing = this.plan.expected - this.collector.delivered;
    const taskUUID = newTaskUUID();
    if (this.sentOnce) this.lastSent = this.task.taskUUID;
    this.task = count === undefined ? { ...this.task, taskUUID } : { ...this.task, taskUUID, [count]: missing };
    this.asked = missing;
    this.accepted = this.polling = false;
    this.sentOnce = false;
    this.failedItems = 0;
    this.itemFailure = undefined;
    this.timing = undefined;
    this.pushedContext = undefined;
  }

  private detach(): void {
    this.generation += 1;
    const { answers, polls } = this.context;
    answers.clear(this);
    polls.clear(this);
    this.awaiting = 'nothing';
    this.pollResends = 0;
    this.unconfirmed = false;
    this.line?.leave();
    this.line = undefined;
  }

  private deadlineOf(phase: TimeoutPhase): number {
    const { policy } = this.context;
    return phase === 'ack' ? policy.ackTimeout : phase === 'poll' ? policy.pollTimeout : this.plan.answerTimeout;
  }

  /**
   * What an error names: the present task, or, while the new task of a re-run has not been sent,
   * the last one that was (the server has it, and may bill it).
   */
  private identity(): TaskIdentity {
    const { taskUUID, taskType } = this.task;
    if (!this.sentOnce && this.lastSent !== undefined) return { taskUUID: this.lastSent, taskType, sent: true };
    return { taskUUID, taskType, sent: this.sentOnce };
  }
}

/** The wait a failure asks for (`details.retryAfterMs`), or 0. */
function retryAfterOf(error: RunwareError): number {
  const wait = error.details?.['retryAfterMs'];
  return typeof wait === 'number' && Number.isFinite(wait) ? wait : 0;
}

function resume(this: SchedulerAction<TaskRun<unknown, unknown>>, run?: TaskRun<unknown, unknown>): void {
  run?.resume();
}
