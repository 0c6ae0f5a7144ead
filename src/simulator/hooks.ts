import type { Connection } from './connection.js';
import type { Session } from './session.js';
import type { TaskContext } from './tasks/task-handler.js';
import type { ErrorItem, OutboundFrame } from './types.js';

/** A task that passed the routing checks (authenticated, known taskType, UUID v4 taskUUID). */
export interface AdmittedTask {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly session: Session;
}

/**
 * The seam for fault injection: every inbound message, every outbound frame, the socket's
 * open/close, every task admission, async acknowledgement and generation pass through these
 * optional hooks. A hook that never calls `next`/`write` swallows the message; calling it later
 * delays it; calling it twice duplicates it. The simulator only checks whether a hook is present,
 * so the default path costs nothing: `faults/fault-hooks.ts` installs a hook only while a fault
 * that needs it is armed or configured.
 */
export interface SimulatorHooks {
  /** Called once the WebSocket is accepted, before any message is read. */
  readonly opened?: ((connection: Connection) => void) | undefined;
  /** Sees each inbound message (already decoded to text) before it is parsed. */
  readonly inbound?: ((connection: Connection, message: string, next: (message: string) => void) => void) | undefined;
  /** Sees each outbound frame before it is serialised and written to the socket. */
  readonly outbound?: ((connection: Connection, frame: OutboundFrame, write: (frame: OutboundFrame) => void) => void) | undefined;
  /** Called when the socket has closed, for whatever reason. */
  readonly closed?: ((connection: Connection) => void) | undefined;
  /**
   * Sees each task before the conflict check and before its handler runs; an error item returned
   * here is the task's whole answer and the task is not remembered (its taskUUID stays free).
   */
  readonly admit?: ((task: AdmittedTask) => ErrorItem | undefined) | undefined;
  /** Sees the acknowledgement of an async task; `send(ack)` sends it (and ends a REST reply). */
  readonly acknowledge?: ((context: TaskContext, ack: OutboundFrame, send: (ack: OutboundFrame) => void) => void) | undefined;
  /** Asked once per generation before it is produced; an error item makes that generation fail with it. */
  readonly generation?: ((context: TaskContext) => ErrorItem | undefined) | undefined;
}
