/** The socket events runware-rx listens to. */
export type SocketEventType = 'open' | 'message' | 'close' | 'error';

/** What runware-rx reads of a socket's `message` event. */
export interface SocketMessageEvent {
  readonly data: unknown;
}

/** What runware-rx reads of a socket's `close` event. */
export interface SocketCloseEvent {
  readonly code?: number;
  readonly reason?: string;
}

/**
 * The part of a WebSocket runware-rx uses: the WHATWG subset that both the browser's native
 * `WebSocket` and Node's `ws` provide, plus `terminate()` where it exists (ws), to end a socket
 * whose peer never answers a close. Nothing else (`.on()`, `.ping()`, the `on…` handler
 * attributes) is touched, so any object with these members works.
 *
 * Listeners are added with `addEventListener`, once per socket and never removed (after
 * teardown they ignore what comes): the `on…` attributes would do the same through more work
 * in `ws`, which emulates their replace-the-previous-handler rule. The listeners ask only for
 * the standard fields they read (`data`, `code`, `reason`), so the native and `ws` sockets, whose
 * event types differ, both fit; an `error` event is read defensively (`message`, `error` where
 * `ws` has them).
 */
export interface SocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes given to `send` and not yet handed to the network (WHATWG and `ws` both have it). */
  readonly bufferedAmount?: number;
  binaryType?: string;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: SocketMessageEvent) => void): void;
  addEventListener(type: 'close', listener: (event: SocketCloseEvent) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Node's `ws` only: drops the TCP connection without waiting for the peer's close frame. */
  terminate?(): void;
}

/** A WebSocket constructor: the browser's `WebSocket`, `ws`, or a test double. */
export type WebSocketConstructor = new (url: string) => SocketLike;

/** `readyState` of an open socket, as in the WHATWG spec. */
export const SOCKET_OPEN = 1;
