import type { OutboundTask } from '../../src/protocol/frames.js';

type Handler = ((event: unknown) => unknown) | null;

/**
 * A synchronous stand-in for a WebSocket, injected through the `WebSocket` option. Tests play
 * the server: `open()`, `receive(frame)`, `serverClose()`; and read what the client `sent`.
 */
export interface FakeSocket {
  readonly url: string;
  readyState: number;
  binaryType?: string;
  onopen: Handler;
  onmessage: Handler;
  onclose: Handler;
  onerror: Handler;
  readonly sent: string[];
  closedByClient: boolean;
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
    onopen: Handler = null;
    onmessage: Handler = null;
    onclose: Handler = null;
    onerror: Handler = null;
    readonly sent: string[] = [];
    closedByClient = false;

    constructor(readonly url: string) {
      sockets.push(this);
      hooks.created?.(this);
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
      this.onopen?.({ type: 'open' });
    }

    receive(frame: unknown): void {
      this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
    }

    serverClose(code = 1006, reason = ''): void {
      this.readyState = 3;
      this.onclose?.({ code, reason });
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
