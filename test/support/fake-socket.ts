import type { OutboundTask } from '../../src/protocol/frames.js';

import type { SocketEventType } from '../../src/transport/socket-like.js';

type Listener = (event: never) => unknown;

/**
 * A synchronous stand-in for a WebSocket, injected through the `WebSocket` option. Tests play
 * the server: `open()`, `receive(frame)`, `serverClose()`; and read what the client `sent`.
 */
export interface FakeSocket {
  readonly url: string;
  readyState: number;
  binaryType?: string;
  addEventListener(type: SocketEventType, listener: Listener): void;
  /** How many listeners the client added for each event. */
  listenerCount(type: SocketEventType): number;
  readonly sent: string[];
  closedByClient: boolean;
  /** While set, what the server sends is lost on the way: a server gone silent. */
  muted: boolean;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** The server accepts the connection. */
  open(): void;
  /** The server sends a frame (an object is JSON-encoded, a string goes as is). */
  receive(frame: unknown): void;
  /** The server closes the socket (1006 = abrupt). */
  serverClose(code?: number, reason?: string): void;
  /** Every task object the client sent, frames flattened. */
  tasks(): OutboundTask[];
}

/** A WebSocket constructor that records the sockets it makes. */
export interface FakeSocketFactory {
  readonly WebSocket: new (url: string) => FakeSocket;
  readonly sockets: FakeSocket[];
  /** The most recent socket. */
  last(): FakeSocket;
}

/** Hooks for a scripted server built on the fake sockets. */
export interface FakeSocketHooks {
  /** Called when the client creates a socket. */
  readonly created?: (socket: FakeSocket) => void;
  /** Called after the client wrote a frame to a socket. */
  readonly sent?: (socket: FakeSocket, text: string) => void;
}

/**
 * Creates a fake socket constructor with its own list of sockets.
 *
 * @param hooks Called when a socket is created and when the client writes to one.
 * @returns The constructor and the sockets it made.
 */
export function createFakeSockets(hooks: FakeSocketHooks = {}): FakeSocketFactory {
  const sockets: FakeSocket[] = [];
  class FakeWebSocket implements FakeSocket {
    readyState = 0;
    binaryType?: string;
    readonly #listeners: Record<SocketEventType, Listener[]> = { open: [], message: [], close: [], error: [] };
    readonly sent: string[] = [];
    closedByClient = false;
    muted = false;

    constructor(readonly url: string) {
      sockets.push(this);
      hooks.created?.(this);
    }

    addEventListener(type: SocketEventType, listener: Listener): void {
      this.#listeners[type].push(listener);
    }

    listenerCount(type: SocketEventType): number {
      return this.#listeners[type].length;
    }

    #emit(type: SocketEventType, event: unknown): void {
      for (const listener of [...this.#listeners[type]]) listener(event as never);
    }

    send(data: string): void {
      if (this.readyState !== 1) throw new Error('send on a socket that is not open');
      this.sent.push(data);
      hooks.sent?.(this, data);
    }

    close(): void {
      this.closedByClient = true;
      this.readyState = 3;
    }

    open(): void {
      this.readyState = 1;
      this.#emit('open', { type: 'open' });
    }

    receive(frame: unknown): void {
      if (this.muted) return;
      this.#emit('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
    }

    serverClose(code = 1006, reason = ''): void {
      this.readyState = 3;
      this.#emit('close', { code, reason });
    }

    tasks(): OutboundTask[] {
      return this.sent.flatMap((text) => JSON.parse(text) as OutboundTask[]);
    }
  }
  return {
    WebSocket: FakeWebSocket,
    sockets,
    last: () => {
      const socket = sockets.at(-1);
      if (socket === undefined) throw new Error('no socket was opened');
      return socket;
    },
  };
}

/** The server's acknowledgement of authentication. */
export const authOk = (sessionUUID: string): unknown => ({
  data: [{ taskType: 'authentication', connectionSessionUUID: sessionUUID }],
});
