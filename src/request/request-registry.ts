import type { Unsubscribable } from 'rxjs';
import type { TaskIdentity } from '../errors/for-task.js';
import type { RunwareError } from '../errors/runware-error.js';

/**
 * The error a request ended from outside ends with, made from its task as it stands at that
 * moment: whether the task was sent is known only then (a submission written that nothing
 * confirmed is taken as sent as it is given up on), and the words may depend on it.
 */
export type AbortError = (task: TaskIdentity) => RunwareError;

/** A running request that can be ended from outside. */
export interface Abortable {
  /** Ends the request with the error made for its task (its teardown then leaves the registry). */
  abort(error: AbortError): void;
}

/** A request started for a subscriber: its teardown, and its end from outside (a Promise method's `AbortSignal`). */
export interface RunningRequest extends Unsubscribable, Abortable {}

/** Every request of a client that has started and has not ended, to end them together. */
export interface RequestRegistry {
  /** Registers a request until it leaves. */
  enter(request: Abortable): void;
  /** Unregisters a request; its teardown calls this. */
  leave(request: Abortable): void;
  /** Ends every registered request with an error, newest first. */
  abortAll(error: AbortError): void;
  /**
   * How many times {@link abortAll} has run: a request that is still being checked (not yet
   * registered) compares it before it starts, since the caller's code it runs on the way (a
   * getter, the logger) may have called `disconnect()`.
   */
  readonly endings: number;
  /**
   * Claims a taskUUID the caller chose for a request that submits it, until {@link release}:
   * `false` when a running request of this client holds it already.
   */
  claim(taskUUID: string): boolean;
  /** Gives back a taskUUID claimed by a request that has ended. */
  release(taskUUID: string): void;
}

/**
 * Creates the registry. `disconnect()` must end every request, not only those holding a route on
 * the connection: requests waiting out a retry's backoff or the rate gate would otherwise carry
 * on later and dial a new socket. A request costs one set entry here, and one more when its
 * caller chose its taskUUID: answers are routed by taskUUID, so two running requests under one
 * would read each other's results (a fresh taskUUID is never another's, and costs nothing).
 *
 * @returns An empty registry.
 */
export function createRequestRegistry(): RequestRegistry {
  const entries = new Set<Abortable>();
  const claimed = new Set<string>();
  let endings = 0;
  return {
    enter: (request) => void entries.add(request),
    leave: (request) => void entries.delete(request),
    abortAll(error) {
      endings += 1;
      for (const request of [...entries].reverse()) request.abort(error);
    },
    get endings() {
      return endings;
    },
    claim(taskUUID) {
      if (claimed.has(taskUUID)) return false;
      claimed.add(taskUUID);
      return true;
    },
    release: (taskUUID) => void claimed.delete(taskUUID),
  };
}
