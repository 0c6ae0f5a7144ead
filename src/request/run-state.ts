import type { Subscriber, Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { TaskLine } from '../connection/connection.js';
import type { TaskIdentity } from '../errors/for-task.js';
import { RunwareError } from '../errors/runware-error.js';
import type { TimeoutPhase } from '../errors/task-timeout-error.js';
import type { AttemptEvent, TaskEvent } from '../events/task-event.js';
import type { Collector } from '../operators/collect-results.js';
import type { OutboundTask } from '../protocol/frames.js';
import { PollTiming } from './poll-timing.js';
import type { ReadContext } from './read-reply.js';
import { readyKey } from './ready-key.js';
import type { TaskAlarms, TaskContext } from './task-context.js';
import type { TaskPlan } from './task-plan.js';

/** What a task waits for: nothing, the acknowledgement of a polled task, a pushed reply, a poll answer. */
export type Awaiting = 'nothing' | 'ack' | 'answer' | 'poll';

/**
 * One request's state, which the parts of its run share: the run itself (task-run.ts), what was
 * sent and how long it may wait (run-sending.ts), what a reply does (run-reply.ts), how an attempt
 * fails or is retried (run-failure.ts). It is one object, the run, so its fields are open to those
 * parts; nothing else sees them, since the run is not exported.
 */
export interface RunState<R, U> extends TaskAlarms {
  readonly context: TaskContext;
  readonly plan: TaskPlan;
  readonly subscriber: Subscriber<TaskEvent<R, U>>;
  readonly collector: Collector<R, U>;
  /** The present task: the plan's, or a re-run's under a new taskUUID. */
  task: TaskPlan['task'];
  retries: number;
  /** How many items the present task asked for: a re-run asks only for those still missing. */
  asked: number;
  /** The present task may have reached the server (`submitted` was told). */
  sentOnce: boolean;
  /**
   * The present submission was written where nothing says yet whether it reached the server (an
   * HTTP request on its way): whatever gives up on it (a deadline, an abort) takes it as sent, since
   * nothing proved that it never left.
   */
  unconfirmed: boolean;
  /** The taskUUID of the last task of this request that was sent, when the present one was not (yet). */
  lastSent: string | undefined;
  /** Items of the present task that failed and that a new task is to make again, once it settled the others. */
  failedItems: number;
  /**
   * Failures pushed for the present task, each counted (the collector takes a failure word for
   * word like an earlier frame's for that frame again, but items of one task often fail alike).
   */
  pushedFailures: number;
  itemFailure: RunwareError | undefined;
  /** The server took the task: it acknowledged it or reported on it. */
  accepted: boolean;
  /** The task is polled from now on: a polled delivery past its acknowledgement, a conflict, an attach. */
  polling: boolean;
  awaiting: Awaiting;
  pollResends: number;
  /** The present task's polls, from when it is accepted to be polled (a pushed task never has one). */
  timing: PollTiming | undefined;
  /** What pushed replies are read against, made on the first. */
  pushedContext: ReadContext | undefined;
  /** Bumped whenever the task lets go of its line, so anything that happened in passing is stale. */
  generation: number;
  line: TaskLine | undefined;
  /** The wait of a retry's backoff, while it lasts. */
  pause: Subscription | undefined;
  /**
   * The seeds of the results delivered, kept for a task of several results with a seed that may
   * be re-run (rerun-seeds.ts); `undefined` for every other.
   */
  readonly seeds: Set<bigint> | undefined;
  /** Submits (or polls) again: a retry's backoff is over. */
  resume(): void;
}

/**
 * What an error names: the present task, or, while the new task of a re-run has not been sent,
 * the last one that was (the server has it, and may bill it).
 */
export function identity(run: RunState<unknown, unknown>): TaskIdentity {
  const { taskUUID, taskType } = run.task;
  if (!run.sentOnce && run.lastSent !== undefined) return { taskUUID: run.lastSent, taskType, sent: true };
  return { taskUUID, taskType, sent: run.sentOnce };
}

/** How long an answer in `phase` may take. */
export function deadlineOf(run: RunState<unknown, unknown>, phase: TimeoutPhase): number {
  const { policy } = run.context;
  return phase === 'ack' ? policy.ackTimeout : phase === 'poll' ? policy.pollTimeout : run.plan.answerTimeout;
}

/** Starts the deadline for what the task waits for (an acknowledgement, a pushed reply, a poll answer). */
export function armAnswer(run: RunState<unknown, unknown>): void {
  if (run.awaiting !== 'nothing') run.context.answers.set(run, asyncScheduler.now() + deadlineOf(run, run.awaiting));
}

/** The present task's poll clock, from its acceptance at `at`; an attached task is neither learned from nor planned by its kind. */
export function newTiming(run: RunState<unknown, unknown>, at: number, learnable: boolean): PollTiming {
  const { plan } = run;
  return new PollTiming(run.context.planner, { key: plan.submit ? readyKey(run.task) : undefined, hint: plan.hint }, at, learnable);
}

/** Sends a task object on the line, and waits for what answers it. */
export function write(run: RunState<unknown, unknown>, task: OutboundTask, awaiting: Awaiting): void {
  run.awaiting = awaiting;
  try {
    run.line?.send(task);
  } catch (cause) {
    // Nothing may throw into the timer or the gate that is sending it. A task JSON cannot carry
    // (a cycle) can never be sent: the line fails as it encodes it, before writing anything.
    if (encodable(task)) fault(run, cause);
    else run.subscriber.error(new RunwareError({ code: 'validation', message: `The ${task.taskType} task cannot be sent as JSON: ${String(cause)}`, retryable: false, cause, ...identity(run) }));
  }
}

/**
 * Whether a task can be written as JSON (as the lines write it: a BigInt as its digits); asked
 * only once writing it failed, to tell a task that cannot be sent from a fault of runware-rx.
 */
function encodable(task: OutboundTask): boolean {
  try {
    JSON.stringify(task, (_key, value: unknown) => (typeof value === 'bigint' ? 0 : value));
    return true;
  } catch {
    return false;
  }
}

/** Lets go of the line and of what the task waited for: anything still on its way is stale. */
export function detach(run: RunState<unknown, unknown>): void {
  run.generation += 1;
  const { answers, polls } = run.context;
  answers.clear(run);
  polls.clear(run);
  run.awaiting = 'nothing';
  run.pollResends = 0;
  run.unconfirmed = false;
  run.line?.leave();
  run.line = undefined;
}

/**
 * The safety net under every entry point that runs from a timer, the rate gate or another
 * request's teardown: a fault of runware-rx or of a task definition ends this one request with a
 * typed error instead of escaping into the scheduler, where it would take the process down.
 */
export function guard(run: RunState<unknown, unknown>, step: () => void): void {
  try {
    step();
  } catch (cause) {
    fault(run, cause);
  }
}

/** Ends the request for a fault of runware-rx; a task the line said it wrote is taken as sent, as any end takes it. */
function fault(run: RunState<unknown, unknown>, cause: unknown): void {
  presumeSent(run);
  run.subscriber.error(new RunwareError({ code: 'unknown', message: `runware-rx failed while running the task: ${String(cause)}`, retryable: false, cause, ...identity(run) }));
}

/**
 * A submission given up on while nothing said whether it arrived is taken as sent (and told so).
 *
 * @param run The request.
 */
export function presumeSent(run: RunState<unknown, unknown>): void {
  if (!run.unconfirmed) return;
  run.unconfirmed = false;
  submitted(run);
}

/** Tells `submitted` the first time the present task may have reached the server. */
export function submitted(run: RunState<unknown, unknown>): void {
  if (run.sentOnce) return;
  run.sentOnce = true;
  run.collector.next(SUBMITTED);
}

const SUBMITTED: AttemptEvent = { type: 'submitted' };
