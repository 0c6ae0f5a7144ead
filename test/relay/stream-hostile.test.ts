import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay } from 'runware-rx/relay';
import { loopbackHttp } from '../support/loopback-http.js';
import { waitFor } from '../support/wait-for.js';
import { REAL_KEY, relayServer } from './support.js';
import { httpOf, post, textTask } from './stream-support.js';

/*
 * The relay's HTTP route must be no weaker than its socket against a page that misbehaves: a
 * taskUUID Runware may hold stays its user's whatever the page does, a user's look-ups are
 * bounded as their submissions are, a body that never ends is not waited for, and Runware's
 * request to back off reaches the page. The upstreams here are stand-ins (the relay's `httpUrl`).
 */

const serve = loopbackHttp();

/** What a stand-in upstream got: each request's task and its response, to answer when the test says. */
interface Received {
  readonly task: Record<string, unknown>;
  readonly response: ServerResponse;
}

/** A stand-in Runware HTTP endpoint: `answer` handles each request (and may leave it unanswered). */
async function standIn(answer: (received: Received, index: number) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const origin = await serve(async (incoming: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of incoming) body += String(chunk);
    const [task] = JSON.parse(body) as Record<string, unknown>[];
    const entry = { task: task!, response };
    received.push(entry);
    answer(entry, received.length - 1);
  });
  return { url: `${origin}/v1`, received };
}

const json = (response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

/** Runware's answers once it has a task: a second submission under its taskUUID is a conflict, a getResponse gets the text. */
const runwareHas = (response: ServerResponse, task: Record<string, unknown>): void => {
  if (task['taskType'] === 'getResponse') json(response, 200, { data: [{ taskType: 'textInference', taskUUID: task['taskUUID'], text: "Alice's answer" }] });
  else json(response, 400, { errors: [{ code: 'conflictTaskUUID', message: 'exists', taskType: 'textInference', taskUUID: task['taskUUID'] }] });
};

/** A relay whose socket upstream is nowhere (nothing here uses it) and whose HTTP upstream is `httpUrl`. */
const relayTo = (httpUrl: string, options: Parameters<typeof relayServer>[1] = {}) => relayServer({ url: 'ws://127.0.0.1:9/v1' }, { httpUrl, ...options });

describe("a taskUUID Runware may have taken stays its user's", () => {
  it('when the page goes away before Runware answers: another user cannot take it up and read the answer', async () => {
    // Runware has Alice's task and has not started answering when her page leaves.
    const upstream = await standIn(({ task, response }, index) => (index === 0 ? undefined : runwareHas(response, task)));
    const server = await relayTo(upstream.url);
    const task = textTask();
    const page = new AbortController();
    const leaving = fetch(httpOf(server), {
      method: 'POST',
      headers: { authorization: 'Bearer alice-session-token', 'content-type': 'application/json' },
      body: JSON.stringify([task]),
      signal: page.signal,
    }).catch(() => 'left');
    await waitFor(() => upstream.received.length === 1);
    page.abort();
    expect(await leaving).toBe('left');
    // The relay goes on waiting for Runware's answer, which holds Alice's claim and slot.
    await server.logOf((record) => record.event === 'relay.pageLeft');

    const taken = await post(server, 'bob-session-token', [textTask({ taskUUID: task['taskUUID'] })]);
    expect(taken.status).toBe(404);
    expect(taken.json?.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID: task['taskUUID'] })]);
    const read = await post(server, 'bob-session-token', [{ taskType: 'getResponse', taskUUID: task['taskUUID'] }]);
    expect(read.status).toBe(404);
    expect(upstream.received).toHaveLength(1);
    // Alice, whose task it is, fetches her answer as runware-rx does after a stream cut short.
    const mine = await post(server, 'alice-session-token', [{ taskType: 'getResponse', taskUUID: task['taskUUID'] }]);
    expect(mine.status).toBe(200);
    expect(mine.json?.data).toEqual([expect.objectContaining({ taskUUID: task['taskUUID'], text: "Alice's answer" })]);
  });

  it('when the connection to Runware breaks after the task was sent: another user cannot take it up', async () => {
    // The request reached Runware; its answer never reached the relay.
    const upstream = await standIn(({ task, response }, index) => (index === 0 ? response.socket?.destroy() : runwareHas(response, task)));
    const server = await relayTo(upstream.url);
    const task = textTask();
    const broken = await post(server, 'alice-session-token', [task]);
    expect(broken.status).toBe(503);

    const taken = await post(server, 'bob-session-token', [textTask({ taskUUID: task['taskUUID'] })]);
    expect(taken.status).toBe(404);
    expect(taken.json?.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID: task['taskUUID'] })]);
    expect(upstream.received).toHaveLength(1);
  });
});

describe("a user's getResponse over HTTP", () => {
  it('holds an in-flight slot while Runware answers it, so that maxInFlight bounds what one user has at Runware', async () => {
    const held: ServerResponse[] = [];
    const upstream = await standIn(({ task, response }) => {
      if (task['taskType'] !== 'getResponse') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(`data: ${JSON.stringify({ taskUUID: task['taskUUID'], finishReason: 'stop' })}\n\ndata: [DONE]\n\n`);
      } else if (held.length === 0) held.push(response);
      else runwareHas(response, task);
    });
    const server = await relayTo(upstream.url, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
    const task = textTask();
    expect((await post(server, 'alice-token', [task])).status).toBe(200);
    const lookUp = [{ taskType: 'getResponse', taskUUID: task['taskUUID'] }];

    const first = post(server, 'alice-token', lookUp);
    await waitFor(() => held.length === 1);
    const second = await post(server, 'alice-token', lookUp);
    expect(second.status).toBe(429);
    expect(second.json?.errors).toEqual([expect.objectContaining({ code: 'inFlightRateLimitExceeded', taskType: 'getResponse' })]);
    expect(upstream.received.filter(({ task: each }) => each['taskType'] === 'getResponse')).toHaveLength(1);

    runwareHas(held[0]!, lookUp[0]!);
    expect((await first).status).toBe(200);
    // Answered, the slot is free again.
    expect((await post(server, 'alice-token', lookUp)).status).toBe(200);
  });
});

describe("Runware's request to back off", () => {
  it('reaches the page as the Retry-After of the refusal, so that runware-rx waits it out', async () => {
    const upstream = await standIn(({ response }) => json(response, 429, { errors: [{ code: 'rateLimitExceeded', message: 'Too many requests' }] }, { 'retry-after': '7' }));
    const server = await relayTo(upstream.url);
    const answer = await post(server, 'alice-session-token', [textTask()]);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.json?.errors).toEqual([expect.objectContaining({ code: 'rateLimitExceeded' })]);
  });
});

describe('a body that never ends', () => {
  it('is not waited for past idleTimeout: the page gets 408, and nothing goes upstream', async () => {
    const upstream = await standIn(({ task, response }) => runwareHas(response, task));
    const server = await relayTo(upstream.url, { idleTimeout: 200 });
    const { port, pathname } = new URL(httpOf(server));
    const socket = connect(Number(port), '127.0.0.1');
    socket.setEncoding('utf8');
    let answered = '';
    socket.on('data', (chunk: string) => (answered += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // The body announces 1000 bytes and sends ten, as a page that stalls (or means to) does.
    socket.write(`POST ${pathname} HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer alice-session-token\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"taskTy`);
    await closed;
    expect(answered).toMatch(/^HTTP\/1\.1 408 /);
    expect(answered).toContain('invalidPayload');
    expect(upstream.received).toHaveLength(0);
  });
});

describe('CORS of a relay that lists its origins', () => {
  it('varies every answer by Origin, refusals and preflights too, so that no cache hands one origin what another got', async () => {
    const upstream = await standIn(({ task, response }) => runwareHas(response, task));
    const server = await relayTo(upstream.url, { origins: ['http://app.example'] });
    const refused = await post(server, 'alice-session-token', [textTask()], { origin: 'http://elsewhere.example' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('vary')).toBe('Origin');
    const preflight = await fetch(httpOf(server), { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('vary')).toBe('Origin');
  });
});

describe('a request whose target is not a URL', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('is answered 400 by handleRequest, which throws nothing into the server that mounted it', async () => {
    const relay = createRelay({ apiKey: REAL_KEY, url: 'ws://127.0.0.1:9/v1', authorize: () => ({ userId: 'alice' }) });
    // Mounted as a plain server mounts it: every request goes to the relay, and nothing catches.
    const server = createServer((request, response) => relay.handleRequest(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => relay.close(), () => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    let answered = '';
    socket.on('data', (chunk: string) => (answered += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('POST // HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer alice-session-token\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]');
    await closed;
    expect(answered).toMatch(/^HTTP\/1\.1 400 /);
    expect(answered).toContain('invalidPayload');
  });
});
