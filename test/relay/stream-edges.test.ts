import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from 'runware-rx';
import { createRelay } from 'runware-rx/relay';
import { loopbackHttp } from '../support/loopback-http.js';
import { REAL_KEY, realKeySimulator, relayServer } from './support.js';
import { eventsOf, httpOf, post, textTask } from './stream-support.js';

/*
 * What comes back from Runware's HTTP endpoint reaches a page only as the relay lets it: events
 * without the key, no upstream refusal of the relay's own key, no claim on a taskUUID Runware did
 * not take. CORS headers go only to the origins the application listed. The upstreams here are
 * stand-ins (the relay's `httpUrl` option) that answer what the simulator never would.
 */

const serve = loopbackHttp();

/** What a stand-in upstream saw of one request. */
interface Seen {
  readonly authorization: string | undefined;
  readonly tasks: Record<string, unknown>[];
}

/** A stand-in Runware HTTP endpoint that records each request and answers with `answer`. */
async function standIn(answer: (response: ServerResponse, task: Record<string, unknown>) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const origin = await serve(async (incoming: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of incoming) body += String(chunk);
    const tasks = JSON.parse(body) as Record<string, unknown>[];
    seen.push({ authorization: incoming.headers.authorization, tasks });
    answer(response, tasks[0]!);
  });
  return { url: `${origin}/v1`, seen };
}

/** A relay whose socket upstream is nowhere (nothing here uses it) and whose HTTP upstream is `httpUrl`. */
const relayTo = (httpUrl: string, origins?: readonly string[]) => relayServer({ url: 'ws://127.0.0.1:9/v1' }, { httpUrl, ...(origins === undefined ? {} : { origins }) });

describe('what a stream brings back through the relay', () => {
  it('carries the events as they were, but for the key, which is redacted wherever Runware puts it', async () => {
    const upstream = await standIn((response, task) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'set-cookie': 'upstream-session=1' });
      response.write(`: echo ${REAL_KEY}\n\n`);
      response.write(`data: ${JSON.stringify({ taskUUID: task['taskUUID'], delta: { text: `the key is ${REAL_KEY}` } })}\n\n`);
      response.write(`data: ${JSON.stringify({ taskUUID: task['taskUUID'], finishReason: 'stop' })}\n\n`);
      response.end('data: [DONE]\n\n');
    });
    const server = await relayTo(upstream.url);
    const task = textTask();
    const answer = await post(server, 'alice-session-token', [task]);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(answer.text).not.toContain(REAL_KEY);
    expect(eventsOf(answer.text)).toEqual([
      JSON.stringify({ taskUUID: task['taskUUID'], delta: { text: 'the key is [redacted]' } }),
      JSON.stringify({ taskUUID: task['taskUUID'], finishReason: 'stop' }),
      '[DONE]',
    ]);
    // Upstream: the real key, never the page's token, and the page's task as it was sent.
    expect(upstream.seen).toEqual([{ authorization: `Bearer ${REAL_KEY}`, tasks: [task] }]);
    expect(JSON.stringify(server.logged)).not.toContain(REAL_KEY);
  });

  it("turns Runware's refusal of the relay's key into serviceUnavailable, and gives back the claim of a task Runware did not take", async () => {
    const upstream = await standIn((response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'invalidApiKey', message: `Invalid API key ${REAL_KEY}`, parameter: 'apiKey' }] }));
    });
    const server = await relayTo(upstream.url);
    const task = textTask();
    const answer = await post(server, 'alice-session-token', [task]);
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({ errors: [expect.objectContaining({ code: 'serviceUnavailable', taskUUID: task['taskUUID'] })] });
    // The taskUUID is nobody's again: another user may use it, and its first user cannot poll it.
    const polled = await post(server, 'alice-session-token', [{ taskType: 'getResponse', taskUUID: task['taskUUID'] }]);
    expect(polled.status).toBe(404);
    expect(upstream.seen).toHaveLength(1);
  });

  it("hands a Runware error reply on with its status, and a conflict on a fresh claim leaves the taskUUID nobody's", async () => {
    const upstream = await standIn((response, task) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'conflictTaskUUID', message: 'exists', taskType: 'textInference', taskUUID: task['taskUUID'] }] }));
    });
    const server = await relayTo(upstream.url);
    const task = textTask();
    const answer = await post(server, 'alice-session-token', [task]);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errors: [expect.objectContaining({ code: 'conflictTaskUUID', taskUUID: task['taskUUID'] })] });
    const polled = await post(server, 'alice-session-token', [{ taskType: 'getResponse', taskUUID: task['taskUUID'] }]);
    expect(polled.status).toBe(404);
    expect(polled.json?.errors).toEqual([expect.objectContaining({ code: 'taskNotFound' })]);
  });
});

describe('CORS on the relay route', () => {
  it('names a listed origin back (never *), answers its preflight, and refuses other origins before anything goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { origins: ['http://app.example'] });
    const preflight = await fetch(httpOf(server), {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const listed = await post(server, 'alice-session-token', [textTask()], { origin: 'http://app.example' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(listed.headers.get('vary')).toBe('Origin');

    const other = await post(server, 'alice-session-token', [textTask()], { origin: 'http://elsewhere.example' });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(sim.stats().tasksReceived['textInference']).toBe(1);
  });

  it('sends no CORS headers at all when the app lists no origins', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const answer = await post(server, 'alice-session-token', [textTask()], { origin: 'http://elsewhere.example' });
    expect(answer.status).toBe(200);
    const names: string[] = [];
    answer.headers.forEach((_value, name) => names.push(name));
    expect(names.filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('authorize on the relay route', () => {
  it('that cannot decide (it throws, or answers late) gets the page a 503 to come back later, the token kept out of the log', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authorizeTimeout: 50,
      authorize: ({ token }) => (token === 'slow-token' ? new Promise<never>(() => undefined) : Promise.reject(new Error(`sessions down while looking up ${token}`))),
    });
    for (const token of ['broken-token', 'slow-token']) {
      const answer = await post(server, token, [textTask()]);
      expect(answer.status).toBe(503);
      expect(answer.json?.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable' })]);
    }
    const failures = server.logged.filter((record) => record.event === 'relay.authorizeFailed').map((record) => record.detail);
    expect(failures).toEqual(['authorize failed: sessions down while looking up [redacted]', 'authorize did not answer within 50 ms']);
    expect(sim.stats().tasksReceived['textInference']).toBeUndefined();
  });
});

describe('the body of a request to the relay route', () => {
  it('is read at most maxPayload bytes: a larger one is refused with 413 and nothing goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { maxPayload: 4096, maxUnauthenticatedPayload: 4096 });
    const answer = await post(server, 'alice-session-token', [textTask({ messages: [{ role: 'user', content: 'x'.repeat(5000) }] })]);
    expect(answer.status).toBe(413);
    expect(answer.json?.errors).toEqual([expect.objectContaining({ code: 'invalidPayload' })]);
    expect(sim.stats().tasksReceived['textInference']).toBeUndefined();
  });

  it('read by a body parser ahead of the relay is refused (400), and the log says how to mount it', async () => {
    const logged: LogRecord[] = [];
    const relay = createRelay({ apiKey: REAL_KEY, url: 'ws://127.0.0.1:9/v1', authorize: () => ({ userId: 'alice' }), logger: (record) => logged.push(record) });
    const origin = await serve(async (incoming, response) => {
      for await (const chunk of incoming) void chunk;
      relay.handleRequest(incoming, response);
    });
    const answer = await fetch(origin, { method: 'POST', headers: { authorization: 'Bearer token', 'content-type': 'application/json' }, body: JSON.stringify([textTask()]) });
    expect(answer.status).toBe(400);
    expect(logged.map((record) => record.event)).toContain('relay.bodyConsumed');
    await relay.close();
  });
});
