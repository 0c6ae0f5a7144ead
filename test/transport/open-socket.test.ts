import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { SocketEvent } from '../../src/transport/open-socket.js';
import { openSocket } from '../../src/transport/open-socket.js';
import type { WebSocketConstructor } from '../../src/transport/socket-like.js';
import type { RunwareError } from '../../src/errors/runware-error.js';

/*
 * How openSocket lets go of a real `ws` socket on loopback: gracefully when the peer answers the
 * close, forced a moment later when it does not, and without an uncaught error when the socket
 * was still connecting. Each test waits for events; the forced close takes its one second.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The client sockets made through this constructor, to look at after the fact. */
function recordingWebSocket(): { readonly Ctor: WebSocketConstructor; readonly made: WebSocket[] } {
  const made: WebSocket[] = [];
  class Recorded extends WebSocket {
    constructor(url: string) {
      super(url, { perMessageDeflate: false });
      made.push(this);
    }
  }
  return { Ctor: Recorded as unknown as WebSocketConstructor, made };
}

async function wsServer(onConnection: (socket: WebSocket) => void): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', onConnection);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/** Subscribes, and resolves with the subscription once the socket reports `open`. */
function opened(socket$: ReturnType<typeof openSocket>) {
  return new Promise<{ unsubscribe(): void }>((resolve, reject) => {
    const subscription = socket$.subscribe({
      next: (event: SocketEvent) => {
        if (event.type === 'open') resolve(subscription);
      },
      error: reject,
    });
  });
}

describe('openSocket letting go of a socket', () => {
  it('closes it with 1000 and says when the close is complete', async () => {
    let serverSaw: Promise<{ code: number; reason: string }> | undefined;
    const url = await wsServer((socket) => {
      serverSaw = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    });
    const { Ctor, made } = recordingWebSocket();
    let closing: Promise<void> | undefined;
    const subscription = await opened(openSocket(Ctor, url, (closed) => (closing = closed)));
    subscription.unsubscribe();
    expect(closing).toBeDefined();
    await closing;
    expect(made[0]!.readyState).toBe(WebSocket.CLOSED);
    expect(await serverSaw).toEqual({ code: 1000, reason: 'client closed' });
  });

  it('forces the close when the peer never answers the close frame', async () => {
    // A peer that stops reading: it never sees the close frame, so it never answers it.
    const url = await wsServer((socket) => socket.pause());
    const { Ctor, made } = recordingWebSocket();
    let closing: Promise<void> | undefined;
    const subscription = await opened(openSocket(Ctor, url, (closed) => (closing = closed)));
    const socket = made[0]!;
    const closeCode = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    subscription.unsubscribe();
    await closing;
    // Terminated, not closed by handshake: ws reports 1006 (no close frame came back).
    expect(await closeCode).toBe(1006);
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });

  it('lets go of a socket still connecting without an uncaught error', async () => {
    // A server that accepts the TCP connection and never answers the upgrade.
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const { Ctor, made } = recordingWebSocket();
    let closing: Promise<void> | undefined;
    const errors: unknown[] = [];
    const subscription = openSocket(Ctor, `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, (closed) => (closing = closed)).subscribe({
      error: (error: unknown) => errors.push(error),
    });
    expect(made[0]!.readyState).toBe(WebSocket.CONNECTING);
    subscription.unsubscribe();
    await closing;
    expect(made[0]!.readyState).toBe(WebSocket.CLOSED);
    // ws reports the aborted handshake as an error event; nobody subscribed hears of it.
    expect(errors).toEqual([]);
  });
});

/**
 * A socket that fires what a test tells it, the way a browser's does: an `error` event with no
 * message and no error, then `close`.
 */
function scriptedSocket(): { readonly Ctor: WebSocketConstructor; fire(type: 'open' | 'error' | 'close', event?: unknown): void } {
  const listeners = new Map<string, ((event?: unknown) => void)[]>();
  class Scripted {
    readyState = 0;
    addEventListener(type: string, listener: (event?: unknown) => void): void {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    }
    send(): void {}
    close(): void {}
  }
  return {
    Ctor: Scripted as unknown as WebSocketConstructor,
    fire: (type, event) => {
      for (const listener of listeners.get(type) ?? []) listener(event);
    },
  };
}

describe('openSocket reading a browser socket that fails', () => {
  const url = 'ws://127.0.0.1:1/v1';
  const failureOf = (script: (socket: ReturnType<typeof scriptedSocket>) => void): RunwareError[] => {
    const socket = scriptedSocket();
    const errors: RunwareError[] = [];
    openSocket(socket.Ctor, url).subscribe({ error: (error: RunwareError) => errors.push(error) });
    script(socket);
    return errors;
  };

  it('waits for the close after an error event that says nothing, and names the URL and its code', () => {
    const errors = failureOf((socket) => {
      socket.fire('error', { type: 'error' });
      socket.fire('close', { code: 1006, reason: '' });
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'connection',
      retryable: true,
      message: `Could not open a WebSocket to ${url} (code 1006): the browser does not say why; its console does`,
      details: { closeCode: 1006 },
    });
  });

  it('says nothing more than the close when an open socket is lost', () => {
    const errors = failureOf((socket) => {
      socket.fire('open');
      socket.fire('error', { type: 'error' });
      socket.fire('close', { code: 1006, reason: '' });
    });
    expect(errors.map((error) => [error.message, error.details?.['closeCode']])).toEqual([['The connection closed (code 1006)', 1006]]);
  });

  it("ends at once on an error event that explains itself (ws's)", () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const errors = failureOf((socket) => socket.fire('error', { message: cause.message, error: cause }));
    expect(errors.map((error) => [error.message, error.cause])).toEqual([['WebSocket error: connect ECONNREFUSED 127.0.0.1:1', cause]]);
  });
});
