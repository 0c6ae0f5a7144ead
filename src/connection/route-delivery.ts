import { ProtocolError } from '../errors/protocol-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import type { Route, RouteListener } from './route.js';

/** Most replies carry no error: they share this array until one does. */
export const NO_ERRORS: ErrorItem[] = [];
/** A reply of errors only: nothing is pushed to it (data items are gathered first). */
export const NO_DATA: DataItem[] = [];

/**
 * Hands a route the items gathered for it and empties its inbox. A listener that throws is
 * failed with a typed error (and reported), and the others are still served.
 */
export function deliver(route: Route, at: number, thrown: { taskUUID: string; error: unknown }[] | undefined): { taskUUID: string; error: unknown }[] | undefined {
  const data = route.inbox ?? NO_DATA;
  const errors = route.inboxErrors;
  route.inbox = undefined;
  route.inboxErrors = NO_ERRORS;
  route.pending = undefined;
  answered(route);
  const listeners = copyIfShared(route.listeners);
  for (let index = 0; index < listeners.length; index += 1) {
    const listener = listeners[index]!;
    try {
      listener.reply(data, errors, at);
    } catch (error) {
      (thrown ??= []).push({ taskUUID: route.taskUUID, error });
      failSafely(listener, new ProtocolError('runware-rx could not read a reply for this task.', { data, errors }, { taskUUID: route.taskUUID, cause: error }));
    }
  }
  return thrown;
}

/** A reply for this route came: the server read the frame that last carried its task. */
export function answered(route: Route): void {
  const { frame } = route;
  if (frame === undefined) return;
  route.frame = undefined;
  if (frame.answered) return;
  frame.answered = true;
  if (frame.tally !== undefined) frame.tally.unanswered -= 1;
}

/** Fails a listener; one whose failure handling throws too has nothing more to be told. */
export function failSafely(listener: RouteListener, error: RunwareError): void {
  try {
    listener.fail(error);
  } catch {
    // The listener is broken beyond reporting; the others must still be served.
  }
}

/** A listener may leave while being called; iterate over a copy when there are several. */
export function copyIfShared(listeners: RouteListener[]): readonly RouteListener[] {
  return listeners.length === 1 ? listeners : [...listeners];
}
