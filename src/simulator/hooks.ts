import type { Connection } from './connection.js';
import type { OutboundFrame } from './types.js';

/**
 * The seam for fault injection: every inbound message, every outbound frame and the socket's
 * open/close pass through these optional hooks. A hook that never calls `next`/`write` swallows
 * the message; calling it later delays it; calling it twice duplicates it. The connection code
 * only checks whether a hook is present, so the default path costs nothing.
 */
export interface ConnectionHooks {
  /** Called once the WebSocket is accepted, before any message is read. */
  readonly opened?: (connection: Connection) => void;
  /** Sees each inbound message (already decoded to text) before it is parsed. */
  readonly inbound?: (connection: Connection, message: string, next: (message: string) => void) => void;
  /** Sees each outbound frame before it is serialised and written to the socket. */
  readonly outbound?: (connection: Connection, frame: OutboundFrame, write: (frame: OutboundFrame) => void) => void;
  /** Called when the socket has closed, for whatever reason. */
  readonly closed?: (connection: Connection) => void;
}
