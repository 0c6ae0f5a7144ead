import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Relay } from 'runware-rx/relay';
import { createRelay } from 'runware-rx/relay';
import { createRunware } from 'runware-rx';
import { IMAGE, REAL_KEY, TOKENS, realKeySimulator } from './support.js';

/*
 * An application that hands an upgrade to the relay after its own WebSocket server took it (a
 * misconfigured route). Whatever the relay would answer that upgrade (a refused origin, a relay
 * that is closed), the socket is the other server's live connection by then: the relay writes
 * nothing into it, and that connection carries on.
 */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server whose own WebSocket server (an echo) takes every upgrade, then hands it to `relay` too. */
async function appBeforeRelay(relay: Relay): Promise<string> {
  const own = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    own.handleUpgrade(request, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo ${String(data)}`)));
    relay.handleUpgrade(request, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () => relay.close(),
    async () => {
      for (const client of own.clients) client.terminate();
      await new Promise<void>((resolve) => own.close(() => resolve()));
    },
    () => new Promise((resolve) => server.close(() => resolve())),
  );
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/runware`;
}

/** Opens a connection to the application's own server, sends a line, and tells what came first: the echo, or a close. */
async function talk(url: string, options: WebSocket.ClientOptions = {}): Promise<string> {
  const socket = new WebSocket(url, options);
  closers.push(async () => socket.terminate());
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', (code) => resolve(`closed ${code}`)));
  const opened = await Promise.race([new Promise<string>((resolve) => socket.once('open', () => resolve('open'))), closed]);
  if (opened !== 'open') return opened;
  socket.send('still there?');
  return Promise.race([new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data)))), closed]);
}

describe('an upgrade the application’s own WebSocket server took before the relay', () => {
  it('is not refused into that connection by a relay whose origins do not include the page’s', async () => {
    const logged: string[] = [];
    const relay = createRelay({ apiKey: REAL_KEY, origins: ['https://app.example'], authorize: () => ({ userId: 'u' }), logger: (record) => void logged.push(`${record.level} ${record.event}`) });
    const url = await appBeforeRelay(relay);
    expect(await talk(url, { origin: 'https://elsewhere.example' })).toBe('echo still there?');
    // The misconfigured route is named; the origin was never the relay's to judge.
    expect(logged).toEqual(['warn relay.upgradeTaken']);
  });

  it('is not refused into that connection by a relay that is closed', async () => {
    const relay = createRelay({ apiKey: REAL_KEY, authorize: () => ({ userId: 'u' }) });
    await relay.close();
    const url = await appBeforeRelay(relay);
    expect(await talk(url)).toBe('echo still there?');
  });
});

/** A server that pauses each upgrade's socket while it looks the session up, then hands it to `relay`, as it is told to. */
async function appPausingFirst(relay: Relay): Promise<string> {
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    socket.pause();
    // The session look-up answers later; the socket is still nobody's but the relay's.
    setImmediate(() => relay.handleUpgrade(request, socket, head));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () => relay.close(),
    () => new Promise((resolve) => server.close(() => resolve())),
  );
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/runware`;
}

describe('an upgrade the application paused before handing it to the relay', () => {
  it('is answered by the relay: pausing a socket is not reading it', async () => {
    const logged: string[] = [];
    const relay = createRelay({ apiKey: REAL_KEY, origins: ['https://app.example'], authorize: () => ({ userId: 'u' }), logger: (record) => void logged.push(`${record.level} ${record.event}`) });
    const url = await appPausingFirst(relay);
    const socket = new WebSocket(url, { origin: 'https://elsewhere.example' });
    closers.push(async () => socket.terminate());
    socket.on('error', () => undefined);
    const status = await new Promise<number | undefined>((resolve) => socket.once('unexpected-response', (_request, response) => resolve(response.statusCode)));
    expect(status).toBe(403);
    expect(logged).not.toContain('warn relay.upgradeTaken');
  });

  it('carries the page’s frames once it has upgraded it: the socket the application paused is read again', async () => {
    const simulator = await realKeySimulator();
    const relay = createRelay({ apiKey: REAL_KEY, url: simulator.url, authorize: ({ token }) => TOKENS[token] });
    const url = await appPausingFirst(relay);
    const page = createRunware({ apiKey: 'alice-session-token', url, authTimeout: 5000 });
    closers.push(() => page.disconnect());
    const images = await page.imageInference(IMAGE);
    expect(images).toHaveLength(1);
  });
});
