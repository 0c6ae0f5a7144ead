import type { Observable } from 'rxjs';
import type { AttemptPlan } from './attempt-plan.js';
import { polledAttempt } from './polled-attempt.js';
import type { TaskContext } from './task-context.js';
import type { AttemptEvent } from './task-event.js';

export type { AttemptPlan } from './attempt-plan.js';

/**
 * One attempt at a polled task: acknowledgement then polls for async tasks, polls only for a
 * re-attached one. Re-subscribing is a new attempt with the same taskUUID. (Pushed tasks take
 * `pushed-task.ts`.)
 *
 * @param context The client's connection, poll clock, rate gate and policy.
 * @param plan The task and how to read its replies.
 * @returns The attempt's events; it never completes by itself (the collector ends it).
 */
export function runAttempt(context: TaskContext, plan: AttemptPlan): Observable<AttemptEvent> {
  return polledAttempt(context, plan);
}
