/**
 * The part of a WebSocket runware-rx uses: the WHATWG subset that both the browser's native
 * `WebSocket` and Node's `ws` provide, plus `terminate()` where it exists (ws), to end a socket
 * whose peer never answers a close. Nothing else (`.on()`, `.ping()`) is touched, so any object
 * with these members works.
 *
 * The handler slots are typed to accept any event because the native and `ws` event types
 * differ; the socket calls them and `open-socket.ts` reads only the standard fields
 * (`data`, `code`, `reason`).
 */
export interface SocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  binaryType?: string;
  onopen: ((event: never) => unknown) | null;
  onmessage: ((event: never) => unknown) | null;
  onclose: ((event: never) => unknown) | null;
  onerror: ((event: never) => unknown) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Node's `ws` only: drops the TCP connection without waiting for the peer's close frame. */
  terminate?(): void;
}

/** A WebSocket constructor: the browser's `WebSocket`, `ws`, or a test double. */
export type WebSocketConstructor = new (url: string) => SocketLike;

/** `readyState` of an open socket, as in the WHATWG spec. */
export const SOCKET_OPEN = 1;
