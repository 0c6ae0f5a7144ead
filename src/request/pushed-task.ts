import type { Observable, SchedulerAction, Subscriber, Subscription } from 'rxjs';
import { Observable as Stream, asyncScheduler, take } from 'rxjs';
import type { TaskLine } from '../connection/connection.js';
import type { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { Collector } from '../operators/collect-results.js';
import { isRetryable } from '../operators/retry-transient.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import type { AttemptPlan } from './attempt-plan.js';
import type { Abortable } from './request-registry.js';
import { pollExisting } from './polled-attempt.js';
import { readAndReport } from './read-and-report.js';
import type { TaskContext } from './task-context.js';
import type { AttemptEvent, TaskEvent } from './task-event.js';

const SUBMITTED: AttemptEvent = { type: 'submitted' };

/**
 * A task the server pushes results for (sync delivery: images and most tools), from submission
 * to its last result. This is the path of nearly every request, so instead of an operator chain
 * (attempt, `retryTransient`, `collectResults`, `taskTimeout`: a subscriber, an Observable and
 * closures per link, per request) it is one Observable whose state is one object. It keeps the
 * same rules by sharing their pieces: `readReply` reads each reply, the `Collector` of
 * `collectResults` numbers and de-duplicates, `isRetryable` and the client's backoff decide
 * retries, the client's deadline sweeper bounds the whole. Retries re-send the same taskUUID;
 * `conflictTaskUUID` (the server already has the task) switches to polling it.
 *
 * @param context The client's connection, rate gate, deadlines and policy.
 * @param plan The task and how to read its replies.
 * @param total The whole-task deadline, in ms.
 * @returns The request's events.
 */
export function pushedTask<R>(context: TaskContext, plan: AttemptPlan, total: number): Observable<TaskEvent<R>> {
  return new Stream<TaskEvent<R>>((subscriber) => new PushedTask<R>(context, plan, total, subscriber).start());
}

/** One request's state; it is the route's listener, the subscription's teardown and its abort handle. */
class PushedTask<R> implements Abortable {
  private readonly collector: Collector<R>;
  private readonly cancelDeadline: () => void;
  private retries = 0;
  /** Bumped whenever the task lets go of its line, so a join that failed in passing is dropped. */
  private generation = 0;
  private line: TaskLine | undefined;
  private waiting: Subscription | undefined;
  private pause: Subscription | undefined;
  private polling: Subscription | undefined;

  constructor(
    private readonly context: TaskContext,
    private readonly plan: AttemptPlan,
    total: number,
    private readonly subscriber: Subscriber<TaskEvent<R>>,
  ) {
    const { taskUUID, taskType } = plan.task;
    const { expected, resultKey } = plan.read;
    this.collector = new Collector<R>(subscriber, { taskUUID, taskType, expected, keyOf: resultKey, settled: plan.settled });
    this.cancelDeadline =
      total === Infinity ? noop : context.deadlines.after(total, () => subscriber.error(new TaskTimeoutError('total', total, plan.task)));
    context.requests.enter(this);
  }

  abort(error: Error): void {
    this.subscriber.error(error);
  }

  /** Submits now, or once the client's rate gate opens. */
  start(): this {
    if (this.subscriber.closed) return this;
    const { gate } = this.context;
    if (gate.isOpen()) this.submit();
    else this.waiting = gate.ready$.pipe(take(1)).subscribe(() => this.submit());
    return this;
  }

  sent(): void {
    if (!this.subscriber.closed) this.collector.next(SUBMITTED);
  }

  reply(data: readonly DataItem[], errors: readonly ErrorItem[]): void {
    if (this.subscriber.closed) return;
    const reading = readAndReport(this.context.gate, { data, errors }, this.plan.read);
    if (reading.conflict) {
      this.detach();
      this.polling = pollExisting(this.context, this.plan).subscribe({
        next: (event) => this.collector.next(event),
        error: (error: unknown) => this.fail(error),
        complete: () => this.subscriber.complete(),
      });
      return;
    }
    for (const event of reading.events) this.collector.next(event);
    // The events may have ended the request (its last result, or a failed item).
    if (reading.taskError !== undefined && !this.subscriber.closed) this.fail(reading.taskError);
  }

  /** The attempt failed (a task error, the link gave up): retry it if allowed, else fail. */
  fail(error: unknown): void {
    if (this.subscriber.closed) return;
    const { maxRetries, retryBackoff } = this.context.policy;
    if (!isRetryable(error, this.retries, maxRetries)) {
      this.subscriber.error(error);
      return;
    }
    this.retries += 1;
    const delay = retryBackoff(this.retries);
    this.collector.next({ type: 'retrying', attempt: this.retries, delay, error: error as RunwareError });
    this.detach();
    this.pause = asyncScheduler.schedule(resubmit, delay, this as PushedTask<unknown>);
  }

  unsubscribe(): void {
    this.context.requests.leave(this);
    this.cancelDeadline();
    this.waiting?.unsubscribe();
    this.pause?.unsubscribe();
    this.detach();
  }

  /** Sends the task, always with its one taskUUID, and listens for its replies. */
  submit(): void {
    this.pause = undefined;
    const generation = ++this.generation;
    const line = this.context.connection.join(this.plan.task.taskUUID, this);
    // Joining starts the connection, which may fail at once (a constructor that throws) and
    // fail or retry this task before we get here: then this line is stale.
    if (generation !== this.generation || this.subscriber.closed) {
      line.leave();
      return;
    }
    this.line = line;
    line.send(this.plan.task);
  }

  private detach(): void {
    this.generation += 1;
    this.line?.leave();
    this.line = undefined;
    this.polling?.unsubscribe();
    this.polling = undefined;
  }
}

function resubmit(this: SchedulerAction<PushedTask<unknown>>, task?: PushedTask<unknown>): void {
  task?.start();
}

function noop(): void {}
