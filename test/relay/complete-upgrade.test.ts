import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { completeUpgrade } from '../../src/relay/complete-upgrade.js';
import type { RelayLog } from '../../src/relay/relay-log.js';

/*
 * The hand-over of an upgrade the relay took to its WebSocket server. Whatever fails in it is
 * kept inside the server's `upgrade` listener (thrown out of it, it would end the process), the
 * socket is closed with a reason a client can read, and the log names the failure for what it
 * is: "taken by another WebSocket server" only when ws refused a socket it saw taken already.
 */

interface Line {
  readonly level: string;
  readonly event: string;
  readonly detail: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * A server on loopback whose every upgrade goes through `completeUpgrade` with `open` (after
 * `before`, a listener of the application's own that may take the socket first).
 */
async function upgradeServer(open: (ws: WebSocket) => void, options: { wss?: WebSocketServer; before?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void } = {}) {
  const wss = options.wss ?? new WebSocketServer({ noServer: true });
  const lines: Line[] = [];
  const log: RelayLog = (level, event, detail) => void lines.push({ level, event, detail });
  const thrown: unknown[] = [];
  let upgraded: () => void = () => undefined;
  const handled = new Promise<void>((resolve) => (upgraded = resolve));
  const server = createServer();
  // A socket nobody answered stays open (half-open, unread): the server's close must not wait for it.
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => sockets.add(socket));
  server.on('upgrade', (request, socket, head) => {
    try {
      options.before?.(request, socket, head);
      completeUpgrade(wss, request, socket, head, open, log);
    } catch (error) {
      thrown.push(error);
    }
    upgraded();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () => new Promise((resolve) => wss.close(() => resolve())),
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  const { port } = server.address() as AddressInfo;
  /** `handled`: the first upgrade has gone through the listener. */
  return { url: `ws://127.0.0.1:${port}/runware`, port, lines, thrown, handled };
}

/** Opens a client and resolves once it is open, with its close to come. */
async function client(url: string): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(url);
  closers.push(async () => socket.terminate());
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, closed };
}

describe('completing an upgrade', () => {
  it('closes the socket (1011) when setting up the browser connection throws, and logs that failure, not a socket taken by someone else', async () => {
    const server = await upgradeServer(() => {
      throw new Error('a bug in the set-up');
    });
    const { closed } = await client(server.url);
    await server.handled;
    expect(server.lines.map(({ level, event }) => `${level} ${event}`)).toEqual(['warn relay.openFailed']);
    expect(server.lines[0]?.detail).toContain('a bug in the set-up');
    expect(await closed).toEqual({ code: 1011, reason: 'Internal relay error' });
    expect(server.thrown).toEqual([]);
  });

  it('answers HTTP 500 when ws fails before the handshake is answered, and logs it as such', async () => {
    const wss = new WebSocketServer({ noServer: true });
    wss.on('headers', () => {
      throw new Error('a listener of the handshake failed');
    });
    const server = await upgradeServer(() => undefined, { wss });
    const socket = connect(server.port, '127.0.0.1');
    closers.push(async () => void socket.destroy());
    const statusLine = new Promise<string>((resolve) => {
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.once('close', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.write('GET /runware HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    });
    await server.handled;
    expect(server.lines.map(({ level, event }) => `${level} ${event}`)).toEqual(['warn relay.upgradeFailed']);
    expect(server.lines[0]?.detail).toContain('a listener of the handshake failed');
    expect(await statusLine).toBe('HTTP/1.1 500 Internal Server Error');
    expect(server.thrown).toEqual([]);
  });

  it('leaves a socket another WebSocket server upgraded first to it, logged as taken', async () => {
    const own = new WebSocketServer({ noServer: true });
    closers.push(() => new Promise((resolve) => own.close(() => resolve())));
    let opened = 0;
    const server = await upgradeServer(() => void (opened += 1), {
      before: (request, socket, head) => own.handleUpgrade(request, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo ${String(data)}`))),
    });
    const { socket } = await client(server.url);
    socket.send('still there?');
    expect(await new Promise((resolve) => socket.once('message', (data) => resolve(String(data))))).toBe('echo still there?');
    expect(server.lines.map(({ level, event }) => `${level} ${event}`)).toEqual(['warn relay.upgradeTaken']);
    expect(opened).toBe(0);
    expect(server.thrown).toEqual([]);
  });
});
