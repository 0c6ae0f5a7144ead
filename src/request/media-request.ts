import type { Subscriber, Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { forTask } from '../errors/for-task.js';
import type { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { prepareMedia } from './prepare-media.js';
import type { AbortError, Abortable, RunningRequest } from './request-registry.js';
import type { TaskContext } from './task-context.js';
import type { TaskPlan } from './task-plan.js';
import { startTask } from './task-run.js';

/**
 * Encodes (or uploads) the bytes of a request, then starts it; unsubscribing or aborting stops
 * either (an abort while preparing says the task was not sent: nothing of it was written). The
 * preparation is part of the request: `disconnect()` ends it (it is registered like a running
 * request), and its time counts against the request's whole-task deadline, which the request
 * then keeps; a wait for a `maxInFlight` slot after it does not count, as for any request.
 *
 * @param context The client's connection, alarms, limits and policies.
 * @param plan The request, with bytes where the caller gave them.
 * @param subscriber Who receives the request's events.
 * @returns The request's teardown and its abort.
 */
export function startWithMedia<R, U>(context: TaskContext, plan: TaskPlan, subscriber: Subscriber<TaskEvent<R, U>>): RunningRequest {
  const { taskUUID, taskType } = plan.task;
  const identity = { taskUUID, taskType, sent: false };
  const end = (error: RunwareError): void => subscriber.error(forTask(error, identity));
  const preparation: Abortable = { abort: (error: AbortError) => end(error(identity)) };
  const { total } = plan;
  const began = asyncScheduler.now();
  let running: RunningRequest | undefined;
  let deadline: Subscription | undefined;
  const prepared = (): void => {
    deadline?.unsubscribe();
    context.requests.leave(preparation);
    if (subscriber.closed) return;
    running = startTask(context, total === Infinity ? plan : { ...plan, spent: asyncScheduler.now() - began }, subscriber);
  };
  context.requests.enter(preparation);
  if (total !== Infinity) deadline = asyncScheduler.schedule(() => end(new TaskTimeoutError('total', total, identity)), total);
  const preparing = prepareMedia(plan.task, context.params.media, prepared, end);
  return {
    unsubscribe: () => {
      deadline?.unsubscribe();
      context.requests.leave(preparation);
      preparing.unsubscribe();
      running?.unsubscribe();
    },
    abort: (error) => (running ?? preparation).abort(error),
  };
}
