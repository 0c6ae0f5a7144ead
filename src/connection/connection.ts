import type { Observable } from 'rxjs';
import type { OutboundTask } from '../protocol/frames.js';
import type { Log } from './connection-log.js';
import type { ConnectionState } from './connection-state.js';
import type { RouteListener } from './route.js';

/** One listener's line to the server for one taskUUID. */
export interface TaskLine {
  /** Queues a task object of this taskUUID (the submission, then its polls) for the next frame. */
  send(task: OutboundTask): void;
  /**
   * Marks the submission as not fully answered yet (a pushed task with results still to come):
   * after a reconnect it is sent again under its taskUUID, since results the server wrote just
   * before the socket died are lost in flight and never replayed.
   */
  awaitMore(): void;
  /** Stops listening; the last listener of a taskUUID to leave drops its queued frames. */
  leave(): void;
}

/**
 * The one persistent connection every task shares: it authenticates, keeps the socket alive,
 * reconnects with session resume, batches outbound frames and routes inbound items by taskUUID.
 */
export interface Connection {
  /** The connection's state; replays the current one to each new subscriber. */
  readonly state$: Observable<ConnectionState>;
  /** Starts the connection if needed; emits once and completes once authenticated, errors if it cannot open. */
  open$(): Observable<void>;
  /** The same as a promise: resolves once authenticated, rejects if the connection cannot open. */
  open(): Promise<void>;
  /**
   * Closes the socket, stops reconnecting and fails every task in flight with `aborted`;
   * resolves once the socket has closed (gracefully, or forced a second later).
   */
  close(): Promise<void>;
  /**
   * Starts the connection if needed and listens to one taskUUID. Several listeners of one
   * taskUUID share its replies (a look-up sent under it, named by `answeredAs`, has replies of its own). The listener's `fail` is called if the link is lost for good
   * or the connection is closed.
   */
  join(taskUUID: string, listener: RouteListener, answeredAs?: string): TaskLine;
  /**
   * A line over the API's HTTP endpoint for a task the socket cannot carry (a streamed
   * `textInference`), with the connection's key; it does not dial the socket. `close()` ends it
   * with `aborted`, as it ends the socket's tasks.
   */
  stream(listener: RouteListener): TaskLine;
  /** Writes a diagnostic line to the caller's logger (key redacted), when there is one. */
  readonly log: Log | undefined;
}
