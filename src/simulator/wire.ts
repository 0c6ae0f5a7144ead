import type { Connection } from './connection.js';
import type { HttpExchange } from './http-exchange.js';
import type { Session } from './session.js';
import type { OutboundFrame } from './types.js';

/**
 * What both transports have in common for the fault injection: something that reads a message,
 * writes frames, can be cut, and can go silent. A WebSocket is one for its whole life; over REST
 * each request awaiting its answer is one.
 */
export interface WireBase {
  /** The session its tasks run under (a socket's once authenticated; a REST connection's own). */
  readonly session: Session | undefined;
  /** True while a frame written now reaches the client: open, not frozen (and over HTTP, not yet answered). */
  isOpen(): boolean;
  /** True once it is closing or closed (over HTTP: answered in full, or its connection gone). */
  isGone(): boolean;
  /** Writes text verbatim, past the hooks: how malformed output is injected. */
  sendText(text: string): void;
  /** Writes a frame verbatim, past the hooks: how stray errors are injected. */
  inject(frame: OutboundFrame): void;
  /** Destroys the connection without a goodbye (no close frame, no answer). */
  terminate(): void;
  /** Half-open mode: nothing is read or written until it ends (see each transport). */
  setFrozen(frozen: boolean): void;
  isFrozen(): boolean;
}

/**
 * A socket or an HTTP exchange, told apart by `transport`: the fault rules (`faults/`) are written
 * once for both and say, where the transports differ, what each does.
 */
export type Wire = Connection | HttpExchange;
