import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { loopbackHttp } from '../support/loopback-http.js';
import { authenticate } from '../simulator/support/raw-client.js';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { browser, browserFrames, IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';
import { post, TEXT } from './stream-support.js';

/*
 * A page's integers reach Runware as the page wrote them. A seed may be anything from 1 to
 * 2^63 − 1 (protocol §4.2), past the 2^53 up to which a JavaScript number holds every integer:
 * the relay reads each frame to check it, and what it sends on is written from what it read, so
 * a large seed read as a number would reach Runware rounded (9223372036854775807 as
 * 9223372036854775808), another seed than the page asked for. Digits inside strings stay text.
 */

const serve = loopbackHttp();
const proxies: WebSocketServer[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) {
    for (const socket of proxy.clients) socket.terminate();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

/** A loopback proxy to `target` that keeps the text of every frame sent upstream through it. */
async function recordingProxy(target: string): Promise<{ url: string; sent: string[] }> {
  const sent: string[] = [];
  const proxy = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  proxies.push(proxy);
  proxy.on('connection', (downstream) => {
    const upstream = new WebSocket(target, { perMessageDeflate: false });
    const queued: string[] = [];
    upstream.on('open', () => queued.splice(0).forEach((text) => upstream.send(text)));
    downstream.on('message', (data) => {
      const text = String(data);
      sent.push(text);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
    upstream.on('message', (data) => downstream.readyState === WebSocket.OPEN && downstream.send(String(data)));
    upstream.on('error', () => undefined);
    downstream.on('close', () => upstream.close());
    upstream.on('close', () => downstream.close());
  });
  await new Promise<void>((resolve) => proxy.once('listening', () => resolve()));
  const { port } = proxy.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}`, sent };
}

/** Fields with integers no number holds exactly, as a page writes them (JSON text), and digits in a string. */
const LARGE = '"seed":9223372036854775807,"providerSettings":{"offsets":[-9007199254740993,18446744073709551615]},"positivePrompt":"frame 12345678901234567890 of a lighthouse"';

describe('integers a page writes past 2^53', () => {
  it('reach Runware over the socket exactly as written', async () => {
    const sim = await realKeySimulator();
    const proxy = await recordingProxy(sim.url);
    const server = await relayServer(proxy);
    const page = await rawBrowser(server);
    await authenticate(page, 'alice-session-token');
    const taskUUID = randomUUID();
    const { positivePrompt: _prompt, ...image } = IMAGE;
    const fields = JSON.stringify({ taskType: 'imageInference', taskUUID, ...image }).slice(1, -1);
    page.send(`[{${fields},${LARGE}}]`);
    await page.results(taskUUID);
    const frame = proxy.sent.find((text) => text.includes(taskUUID));
    expect(frame).toContain(LARGE);
  });

  it('reach Runware over HTTP exactly as written', async () => {
    const bodies: string[] = [];
    const origin = await serve(async (incoming, response) => {
      let body = '';
      for await (const chunk of incoming) body += String(chunk);
      bodies.push(body);
      const [task] = JSON.parse(body) as Record<string, unknown>[];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: [{ taskType: 'textInference', taskUUID: task?.['taskUUID'], text: 'A light for ships.', finishReason: 'stop' }] }));
    });
    const server = await relayServer({ url: 'ws://127.0.0.1:9/v1' }, { httpUrl: `${origin}/v1` });
    const taskUUID = randomUUID();
    const fields = JSON.stringify({ taskType: 'textInference', taskUUID, ...TEXT, seed: undefined }).slice(1, -1);
    const answer = await post(server, 'alice-session-token', `[{${fields},${LARGE}}]`);
    expect(answer.status).toBe(200);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(LARGE);
  });
});

describe('integers Runware writes past 2^53', () => {
  const upstreams: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  });

  it('reach the page exactly as written, and its client hands them over as BigInts', async () => {
    const upstream = await startHostileServer(
      politeAuth((task: Task, socket) => {
        const item = JSON.stringify({ taskType: task.taskType, taskUUID: task.taskUUID, imageUUID: randomUUID(), imageURL: 'http://127.0.0.1/i.png' });
        socket.send(`{"data":[${item.slice(0, -1)},"seed":9223372036854775807}]}`);
      }),
    );
    upstreams.push(upstream);
    const server = await relayServer(upstream);
    const [result] = await browser(server, 'alice-session-token').imageInference({ ...IMAGE, seed: 9223372036854775807n });
    expect(result?.seed).toBe(9223372036854775807n);
    expect(browserFrames.find((text) => text.includes('"imageInference"'))).toContain('"seed":9223372036854775807}');
  });
});
