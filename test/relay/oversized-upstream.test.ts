import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { browser, IMAGE, realKeySimulator, relayServer } from './support.js';

/*
 * Runware itself may refuse a frame as too large (close 1009) that the relay took from a page.
 * The relay's upstream connection then fails the task alone in that frame, once. The page must
 * learn that the task is too large (a validation error it does not retry), not that Runware
 * cannot be reached (a 5xx-like error it retries): each retry would close the relay's one
 * upstream socket again, under every other user's tasks.
 */

const proxies: WebSocketServer[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) {
    for (const socket of proxy.clients) socket.terminate();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

/** A loopback proxy to `target` that takes frames of at most `maxPayload` bytes, as a server with a frame limit does; counts the frames it refused. */
async function sizeLimitedProxy(target: string, maxPayload: number): Promise<{ url: string; refusals: () => number }> {
  let refusals = 0;
  const proxy = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload, perMessageDeflate: false });
  proxies.push(proxy);
  proxy.on('connection', (downstream) => {
    const upstream = new WebSocket(target, { perMessageDeflate: false });
    const queued: string[] = [];
    upstream.on('open', () => queued.splice(0).forEach((text) => upstream.send(text)));
    downstream.on('message', (data) => (upstream.readyState === WebSocket.OPEN ? upstream.send(String(data)) : queued.push(String(data))));
    upstream.on('message', (data) => downstream.readyState === WebSocket.OPEN && downstream.send(String(data)));
    // ws reports a frame over maxPayload as this error, and closes the socket with 1009.
    downstream.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') refusals += 1;
    });
    upstream.on('error', () => undefined);
    downstream.on('close', () => upstream.close());
    upstream.on('close', () => downstream.close());
  });
  await new Promise<void>((resolve) => proxy.once('listening', () => resolve()));
  const { port } = proxy.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}`, refusals: () => refusals };
}

describe('a task the relay took but Runware refuses as too large (1009 on the upstream socket)', () => {
  it('fails the page’s request with a validation error it does not retry, and closes the upstream socket once', async () => {
    const sim = await realKeySimulator();
    const proxy = await sizeLimitedProxy(sim.url, 8192);
    const server = await relayServer(proxy);
    const alice = browser(server, 'alice-session-token');
    await alice.connect();
    const seedImage = `data:image/png;base64,${'A'.repeat(20_000)}`;
    const failure = await alice.imageInference({ ...IMAGE, seedImage, strength: 0.5 }).then(() => 'resolved', (error: unknown) => error);
    expect(failure).toMatchObject({ code: 'validation', retryable: false, taskType: 'imageInference' });
    expect(proxy.refusals()).toBe(1);
    // The upstream came back for everyone else.
    expect(await alice.imageInference(IMAGE).then((items) => items.length)).toBe(1);
  });
});
