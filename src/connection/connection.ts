import type { Observable } from 'rxjs';
import type { OutboundTask } from '../protocol/frames.js';
import type { ConnectionState } from './connection-state.js';
import type { TaskReply } from './task-router.js';

/** One task's line to the server while it is in flight. */
export interface TaskChannel {
  /** Queues a task object of this taskUUID (the submission, then its polls) for the next frame. */
  send(task: OutboundTask): void;
  /** Everything that arrives for this taskUUID: `sent` when a frame of it is written, then replies. */
  readonly replies$: Observable<TaskReply>;
}

/**
 * The one persistent connection every task shares: it authenticates, keeps the socket alive,
 * reconnects with session resume, batches outbound frames and routes inbound items by taskUUID.
 */
export interface Connection {
  /** The connection's state; replays the current one to each new subscriber. */
  readonly state$: Observable<ConnectionState>;
  /** Starts the connection if needed; completes once authenticated, errors if it cannot open. */
  open$(): Observable<void>;
  /** Closes the socket, stops reconnecting and fails every task in flight with `aborted`. */
  close(): void;
  /**
   * Starts the connection if needed and listens to one taskUUID; emits the task's channel at
   * once. Several listeners of one taskUUID share its replies. Errors when the link is lost for
   * good or the connection is closed. Unsubscribing stops listening.
   */
  attach$(taskUUID: string): Observable<TaskChannel>;
}
