import type { Session } from './session.js';
import type { TaskContext } from './tasks/task-handler.js';
import type { ErrorItem, OutboundFrame } from './types.js';
import type { Wire } from './wire.js';

/** A task that passed the routing checks (authenticated, known taskType, UUID v4 taskUUID). */
export interface AdmittedTask {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly session: Session;
}

/**
 * The seam for fault injection: every inbound message, every outbound frame, the wire's
 * open/close (a socket's, or a REST request's: `wire.ts`), every task admission, async
 * acknowledgement and generation pass through these
 * optional hooks. A hook that never calls `next`/`write` swallows the message; calling it later
 * delays it; calling it twice duplicates it. The simulator only checks whether a hook is present,
 * so the default path costs nothing: `faults/fault-hooks.ts` installs a hook only while a fault
 * that needs it is armed or configured.
 */
export interface SimulatorHooks {
  /** Called once a WebSocket is accepted, or a REST request's body read, before anything is handled. */
  readonly opened?: ((wire: Wire) => void) | undefined;
  /** Sees each inbound message (a socket's frame, a REST request's body; already text) before it is parsed. */
  readonly inbound?: ((wire: Wire, message: string, next: (message: string) => void) => void) | undefined;
  /** Sees each outbound frame (a REST reply's body, each `data:` event of a stream) before it is written. */
  readonly outbound?: ((wire: Wire, frame: OutboundFrame, write: (frame: OutboundFrame) => void) => void) | undefined;
  /** Called when the socket has closed, or the REST response, for whatever reason. */
  readonly closed?: ((wire: Wire) => void) | undefined;
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
