import { ProtocolError } from '../errors/protocol-error.js';
import type { ShownAnswer } from '../protocol/text-stream.js';
import type { RouteListener } from './route.js';

/**
 * What each task's streams have delivered of its answer, by its listener (the task, the same at
 * every attempt) and its taskUUID: each attempt is a line of its own, and a server that answers a
 * stream sent again after a cut by streaming the answer again from its start repeats it. Weak:
 * it goes with its task.
 */
const shownAnswers = new WeakMap<RouteListener, { readonly taskUUID: string; readonly shown: ShownAnswer }>();

/**
 * What a task's streams under a taskUUID have delivered so far, which its next stream adds to.
 *
 * @param listener The task.
 * @param taskUUID The taskUUID streamed.
 * @returns The answer delivered: empty for a first stream, and for a re-run's new task.
 */
export function shownTo(listener: RouteListener, taskUUID: string): ShownAnswer {
  const known = shownAnswers.get(listener);
  if (known?.taskUUID === taskUUID) return known.shown;
  const shown = { text: '', reasoning: '' };
  shownAnswers.set(listener, { taskUUID, shown });
  return shown;
}

/**
 * The error of an answer streamed again that is not the one delivered (it says other words, or
 * ends before it said them all): refused, not mixed into the pieces shown. A ProtocolError, so not
 * retried: the pieces shown can no longer be made whole. A server that resumed the stream where it
 * was cut lands here too: nothing in the protocol marks a resumption, and text that merely looks
 * like a continuation is not taken for one (see TextAssembly).
 *
 * @param taskType The task's type.
 * @param taskUUID Its taskUUID.
 * @param field The field that differs.
 * @param data The event where it showed.
 * @returns The error.
 */
export function divergedError(taskType: string, taskUUID: string, field: string, data: string): ProtocolError {
  return new ProtocolError(
    `The ${taskType} streamed again after a cut says other words (its ${field}) than the pieces already delivered: the server made another answer, which runware-rx does not mix into the one delivered`,
    data,
    { taskUUID },
  );
}
