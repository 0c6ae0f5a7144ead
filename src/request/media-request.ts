import type { SchedulerAction, Subscriber, Subscription, Unsubscribable } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { TaskIdentity } from '../errors/for-task.js';
import { forTask } from '../errors/for-task.js';
import type { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { TaskEvent } from '../events/task-event.js';
import type { MediaPolicy } from './prepare-media.js';
import { prepareMedia } from './prepare-media.js';
import type { SlotHolder } from './in-flight-limiter.js';
import type { AbortError, Abortable, RunningRequest } from './request-registry.js';
import type { TaskContext } from './task-context.js';
import type { TaskPlan } from './task-plan.js';
import { startTask } from './task-run.js';

/**
 * Encodes (or uploads) the bytes of a request once it has its `maxInFlight` slot, then starts it
 * in that slot; unsubscribing or aborting stops either (an abort while waiting or preparing says
 * the task was not sent: nothing of it was written). The preparation is part of the request:
 * `disconnect()` ends it (it is registered like a running request), and its time counts against
 * the request's whole-task deadline, which starts with the slot, as for any request. Its uploads
 * run in its slot too: with every slot taken by requests preparing, an upload that waited for one
 * would wait for ever.
 *
 * @param context The client's connection, alarms, limits and policies.
 * @param plan The request, with bytes where the caller gave them.
 * @param subscriber Who receives the request's events.
 * @returns The request's teardown and its abort.
 */
export function startWithMedia<R, U>(context: TaskContext, plan: TaskPlan, subscriber: Subscriber<TaskEvent<R, U>>): RunningRequest {
  return new MediaRequest(context, plan, subscriber).prepare();
}

/**
 * A request with media, one object with its methods on a prototype: the registry's entry and the
 * holder of the request's `maxInFlight` slot while it waits and prepares (inputs are read once
 * there is room for them), then the teardown and the abort of the request it started, which runs
 * in that slot.
 */
class MediaRequest<R, U> implements RunningRequest, Abortable, SlotHolder {
  private readonly identity: TaskIdentity;
  private began = 0;
  private running: RunningRequest | undefined = undefined;
  private deadline: Subscription | undefined = undefined;
  private preparing: Unsubscribable | undefined = undefined;

  constructor(
    private readonly context: TaskContext,
    private readonly plan: TaskPlan,
    private readonly subscriber: Subscriber<TaskEvent<R, U>>,
  ) {
    const { taskUUID, taskType } = plan.task;
    this.identity = { taskUUID, taskType, sent: false };
  }

  prepare(): this {
    this.context.requests.enter(this);
    if (this.context.limiter.acquire(this)) this.granted();
    return this;
  }

  /** It has its slot: at once, or in the teardown of the request whose slot it takes, where it must not throw. */
  granted(): void {
    if (this.subscriber.closed) return;
    this.began = asyncScheduler.now();
    const { total } = this.plan;
    if (total !== Infinity) this.deadline = asyncScheduler.schedule(expire, total, this);
    const { media } = this.context.params;
    const { inlineMedia, storedInputs } = this.plan;
    this.preparing = prepareMedia(
      this.plan.task,
      inlineMedia === true ? INLINE : storedInputs === undefined ? media : { ...media, stored: storedInputs },
      () => this.prepared(),
      (error) => this.end(error),
    );
  }

  /** Ends the request: while it prepares, with the error made for its task, which was not sent. */
  abort(error: AbortError): void {
    if (this.running !== undefined) this.running.abort(error);
    else this.end(error(this.identity));
  }

  unsubscribe(): void {
    this.deadline?.unsubscribe();
    this.context.requests.leave(this);
    this.preparing?.unsubscribe();
    this.running?.unsubscribe();
    // Last: the freed slot may start a queued request at once.
    this.context.limiter.release(this);
  }

  /** The whole-task deadline passed while it prepared. */
  expired(): void {
    this.end(new TaskTimeoutError('total', this.plan.total, this.identity));
  }

  private end(error: RunwareError): void {
    this.subscriber.error(forTask(error, this.identity));
  }

  private prepared(): void {
    this.deadline?.unsubscribe();
    // The request it starts is registered on its own.
    this.context.requests.leave(this);
    if (this.subscriber.closed) return;
    const { plan } = this;
    const spent = plan.total === Infinity ? {} : { spent: asyncScheduler.now() - this.began };
    const running = startTask(this.context, { ...plan, ...spent, noSlot: true }, this.subscriber);
    this.running = running;
    // Starting runs the caller's code (a key function, a logger, a state$ subscriber), which may
    // end the request before its run is known here: the teardown has passed it by, so it ends now.
    if (this.subscriber.closed) running.unsubscribe();
  }
}

function expire(this: SchedulerAction<MediaRequest<unknown, unknown>>, request?: MediaRequest<unknown, unknown>): void {
  request?.expired();
}

/** The media policy of a task that is itself an upload: every input inline. */
const INLINE: MediaPolicy = { uploadThreshold: Infinity };
