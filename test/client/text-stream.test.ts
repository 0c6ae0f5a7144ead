import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { lastValueFrom, toArray } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import type { TextInferenceDelta, TextInferenceResult } from 'runware-rx/tasks';
import { createRunware, withExtraFields } from 'runware-rx';
import { loopbackHttp } from '../support/loopback-http.js';
import { client, received, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';
import { rejection } from '../support/rejection.js';

/*
 * textInference with deliveryMethod "stream": the API streams over HTTP only (protocol §4.5), so
 * the request goes to the HTTP endpoint beside the socket and reports each piece of the answer as
 * a `partial` event, then the whole result, under the same engine rules as every task.
 */

const serve = loopbackHttp();

const request = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], seed: 11, deliveryMethod: 'stream' as const };

type Event = TaskEvent<TextInferenceResult, TextInferenceDelta>;

const piecesOf = (events: readonly Event[]): string => events.map((event) => (event.type === 'partial' ? (event.item.delta.text ?? '') : '')).join('');

/** Every event of a request, and its error if it failed. */
const record = (events$: Observable<Event>): Promise<{ events: Event[]; error: unknown }> =>
  new Promise((resolve) => {
    const events: Event[] = [];
    events$.subscribe({ next: (e) => events.push(e), error: (error: unknown) => resolve({ events, error }), complete: () => resolve({ events, error: undefined }) });
  });

/** Reads a POSTed task list. */
const tasksOf = async (request: IncomingMessage): Promise<Record<string, unknown>[]> => {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return JSON.parse(body) as Record<string, unknown>[];
};

const startEvents = (response: ServerResponse): void => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
};
const event = (response: ServerResponse, payload: unknown): boolean => response.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);

/**
 * A server that refuses the first POSTs, each as `refuse` says for its number (from 1, with the
 * task's taskUUID), then streams "Hi" to the one after.
 */
const refusingThenAnswering = (refusals: number, refuse: (response: ServerResponse, post: number, taskUUID: string) => void) =>
  serve(async (incoming, response) => {
    const [task] = await tasksOf(incoming);
    const taskUUID = String(task!['taskUUID']);
    posts += 1;
    if (posts <= refusals) return refuse(response, posts, taskUUID);
    startEvents(response);
    event(response, { taskUUID, delta: { text: 'Hi' } });
    event(response, { taskUUID, finishReason: 'stop' });
    event(response, '[DONE]');
    response.end();
  });
let posts = 0;
beforeEach(() => {
  posts = 0;
});

describe('textInference streamed over HTTP', () => {
  it('reports every piece as a partial event, in order, and ends with the whole result: the text a sync request gets', async () => {
    const sim = await simulator({ media: false, profile: 'realistic' });
    const runware = client(sim);
    const events = await lastValueFrom(runware.textInference$({ ...request, includeUsage: true, includeCost: true }).pipe(toArray()));
    expect(events[0]).toMatchObject({ type: 'submitted', taskType: 'textInference' });
    const partials = events.filter((e) => e.type === 'partial');
    expect(partials.length).toBeGreaterThan(1);
    const last = events.at(-1)!;
    expect(last.type).toBe('result');
    if (last.type !== 'result') return;
    expect(last.item).toMatchObject({ taskType: 'textInference', finishReason: 'stop', seed: 11, usage: { totalTokens: expect.any(Number) } });
    expect(last.item.text).toBe(piecesOf(events));
    expect(last.cost).toBeGreaterThan(0);
    const [sync] = await runware.textInference({ ...request, deliveryMethod: 'sync' });
    expect(last.item.text).toBe(sync!.text);
    // The stream went over HTTP: the only socket task is the sync one.
    expect(received(sim, 'textInference')).toBe(2);
  });

  it('resolves the Promise method with the whole result, and streams without dialling the socket', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const states: string[] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    const [reply] = await runware.text({ ...request, settings: { thinking: true } });
    expect(reply).toMatchObject({ taskType: 'textInference', finishReason: 'stop', text: expect.any(String), reasoningContent: expect.any(String) });
    expect(reply!.reasoningContent!.length).toBeGreaterThan(0);
    expect(states).toEqual(['idle']);
    expect(sim.stats().sessions).toBe(0);
  });

  it('streams from a simulator given by its URL without /v1 (the legacy SDKs\' test URL), as a sync request is answered there', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { url: sim.url.replace(/\/v1$/, '') });
    const [sync] = await runware.textInference({ ...request, deliveryMethod: 'sync' });
    const [streamed] = await runware.textInference(request);
    expect(streamed!.text).toBe(sync!.text);
  });

  it('fails with the provider error when the generation breaks off mid-stream, after the pieces that came', async () => {
    const sim = await simulator({ media: false, profile: 'realistic' });
    sim.faults.failNextItems(1, 'providerError');
    const { events, error } = await record(client(sim).textInference$(request));
    expect(error).toMatchObject({ code: 'provider', serverCode: 'providerError', taskType: 'textInference', sent: true });
    expect(events.filter((e) => e.type === 'partial').length).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });

  it('is refused locally, and nothing is sent, for more than one result, a webhookURL, or a dry run', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    expect(await rejection(runware.textInference({ ...request, numberResults: 2 }))).toMatchObject({ code: 'validation', parameter: 'numberResults', sent: false });
    expect(await rejection(runware.textInference({ ...request, webhookURL: 'https://example.com/hook' }))).toMatchObject({ code: 'validation', parameter: 'webhookURL', sent: false });
    expect(await rejection(runware.dryRun('textInference', request))).toMatchObject({ code: 'validation', parameter: 'deliveryMethod', sent: false });
    expect(received(sim, 'textInference')).toBe(0);
  });

  it('is refused locally for a task type that does not stream, even one whose parameters do not list deliveryMethod', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    // modelSearch has no deliveryMethod of its own: an unknown field is sent as it is, but "stream" would send it over HTTP.
    const search = await rejection(runware.modelSearch(withExtraFields({ search: 'lighthouse' }, { deliveryMethod: 'stream' })));
    expect(search).toMatchObject({ code: 'validation', parameter: 'deliveryMethod', sent: false });
    const image = await rejection(runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512, deliveryMethod: 'stream' as 'sync' }));
    expect(image).toMatchObject({ code: 'validation', parameter: 'deliveryMethod', sent: false });
    expect(received(sim, 'modelSearch') + received(sim, 'imageInference')).toBe(0);
  });

  it('fails with auth when the server refuses the key', async () => {
    const sim = await simulator({ media: false, apiKey: 'the-right-key' });
    const error = await rejection(client(sim, { apiKey: 'a-wrong-key' }).textInference(request));
    expect(error).toMatchObject({ code: 'auth', serverCode: 'invalidApiKey' });
  });
});

describe('a streamed answer and its HTTP endpoint', () => {
  it('goes to httpUrl with the key as a Bearer token and the task alone, and reads delta, last event and [DONE]', async () => {
    const seen: { authorization?: string | undefined; accept?: string | undefined; tasks?: Record<string, unknown>[] } = {};
    const origin = await serve(async (incoming, response) => {
      seen.authorization = incoming.headers.authorization;
      seen.accept = incoming.headers.accept;
      const tasks = (seen.tasks = await tasksOf(incoming));
      const { taskUUID } = tasks[0] as { taskUUID: string };
      startEvents(response);
      response.write(': keep-alive\n\n');
      event(response, { taskUUID, delta: { text: 'Hel' } });
      event(response, { data: { taskUUID, delta: { text: 'lo' } } });
      event(response, { taskUUID, finishReason: 'stop', usage: { totalTokens: 3 }, cost: 0.001 });
      event(response, '[DONE]');
      response.end();
    });
    const runware = createRunware({ apiKey: 'secret-key', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, retryDelay: 10 });
    const [reply] = await runware.textInference(request);
    await runware.disconnect();
    expect(reply).toEqual({ taskType: 'textInference', taskUUID: expect.any(String), text: 'Hello', finishReason: 'stop', usage: { totalTokens: 3 }, cost: 0.001 });
    expect(seen).toEqual({ authorization: 'Bearer secret-key', accept: 'text/event-stream', tasks: [{ ...request, taskType: 'textInference', taskUUID: reply!.taskUUID }] });
  });

  it('ends the answer at its last event (finishReason) or [DONE], not at an event without a piece: the text is all the pieces', async () => {
    const origin = await serve(async (incoming, response) => {
      const [task] = await tasksOf(incoming);
      const taskUUID = String(task!['taskUUID']);
      startEvents(response);
      // An event that carries no piece and does not say the answer ended (as Runware's own SDK reads every chunk until [DONE]).
      event(response, { taskType: 'textInference', taskUUID });
      event(response, { taskUUID, delta: { text: 'Hel' } });
      event(response, { taskUUID, usage: { promptTokens: 2 } });
      event(response, { taskUUID, delta: { text: 'lo' } });
      event(response, { taskUUID, finishReason: 'stop', cost: 0.001 });
      event(response, '[DONE]');
      response.end();
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    const events = await lastValueFrom(runware.textInference$(request).pipe(toArray()));
    await runware.disconnect();
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'result', cost: 0.001, item: { text: 'Hello', finishReason: 'stop', usage: { promptTokens: 2 } } });
    expect(piecesOf(events)).toBe('Hello');
  });

  /** Streams what `write` writes for the task POSTed, then [DONE]; resolves with the request's events and error. */
  const streamedAs = async (write: (response: ServerResponse, taskUUID: string) => void): Promise<{ events: Event[]; error: unknown }> => {
    const origin = await serve(async (incoming, response) => {
      const [task] = await tasksOf(incoming);
      startEvents(response);
      write(response, String(task!['taskUUID']));
      event(response, '[DONE]');
      response.end();
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    const recorded = await record(runware.textInference$(request));
    await runware.disconnect();
    return recorded;
  };

  it('reads data lines a server separates by a single newline as the one event the SSE rules make of them, and its JSON lines as the chunks they are', async () => {
    const { events, error } = await streamedAs((response, taskUUID) => {
      // Three data lines, one blank line: one event (WHATWG HTML, "Interpreting an event stream"), its data the lines joined by "\n".
      response.write(`data: ${JSON.stringify({ taskUUID, delta: { text: 'Hel' } })}\ndata: ${JSON.stringify({ taskUUID, delta: { text: 'lo' } })}\n`);
      response.write(`data: ${JSON.stringify({ taskUUID, finishReason: 'stop' })}\n\n`);
    });
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'partial', 'partial', 'result']);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'Hello', finishReason: 'stop' } });
  });

  it('reads one JSON chunk a server spreads over several data lines whole', async () => {
    const { events, error } = await streamedAs((response, taskUUID) => {
      const chunk = JSON.stringify({ taskUUID, delta: { text: 'Hi' }, finishReason: 'stop' }, undefined, 1);
      response.write(`${chunk.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
    });
    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'Hi', finishReason: 'stop' } });
  });

  // A finished answer is held until its body has been read to the end, wherever that end comes.
  it.each([
    ['a little after the last event (the request ends once the body is read)', true],
    ['with the last event (the next stream starts on the very result, in the same turn)', false],
  ] as const)('goes over the same kept-alive connection for the next stream when [DONE] and the close of the body come %s', async (_when, later) => {
    const sockets: unknown[] = [];
    const origin = await serve(async (incoming, response) => {
      sockets.push(incoming.socket);
      const [task] = await tasksOf(incoming);
      const taskUUID = String(task!['taskUUID']);
      startEvents(response);
      event(response, { taskUUID, delta: { text: 'Hi' } });
      event(response, { taskUUID, finishReason: 'stop' });
      const finish = (): void => {
        event(response, '[DONE]');
        response.end();
      };
      if (later) setTimeout(finish, 20);
      else finish();
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    // Each question asked as soon as the answer before it is whole: no pause between them.
    for (let i = 0; i < 4; i += 1) expect((await runware.textInference(request))[0]!.text).toBe('Hi');
    await runware.disconnect();
    expect(sockets).toHaveLength(4);
    expect(new Set(sockets).size).toBe(1);
  });

  it('when the stream is cut short, sends the task again under its taskUUID and takes the whole result the server has', async () => {
    const posts: Record<string, unknown>[][] = [];
    const origin = await serve(async (incoming, response) => {
      const tasks = await tasksOf(incoming);
      posts.push(tasks);
      const task = tasks[0]!;
      const { taskUUID } = task as { taskUUID: string };
      if (posts.length === 1) {
        startEvents(response);
        event(response, { taskUUID, delta: { text: 'A light' } });
        // The connection breaks before the answer is complete.
        setTimeout(() => response.destroy(), 20);
        return;
      }
      response.writeHead(posts.length === 2 ? 400 : 200, { 'content-type': 'application/json' });
      if (posts.length === 2) response.end(JSON.stringify({ errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID, taskType: 'textInference' }] }));
      else response.end(JSON.stringify({ data: [{ taskType: 'textInference', taskUUID, status: 'success', text: 'A lighthouse warns ships.', finishReason: 'stop' }] }));
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, retryDelay: 10 });
    const events = await lastValueFrom(runware.textInference$(request).pipe(toArray()));
    await runware.disconnect();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'partial', 'retrying', 'status', 'result']);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'A lighthouse warns ships.' } });
    expect(posts.map((tasks) => tasks[0]!['taskType'])).toEqual(['textInference', 'textInference', 'getResponse']);
    expect(new Set(posts.map((tasks) => tasks[0]!['taskUUID'])).size).toBe(1);
  });

  it('stops the HTTP request when the caller unsubscribes, and disconnect() ends a stream in flight with aborted', async () => {
    const started: string[] = [];
    const closed: string[] = [];
    const origin = await serve(async (incoming, response) => {
      const [task] = await tasksOf(incoming);
      const taskUUID = String(task!['taskUUID']);
      started.push(taskUUID);
      response.on('close', () => closed.push(taskUUID));
      startEvents(response);
      event(response, { taskUUID, delta: { text: 'First' } });
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    const subscription = runware.textInference$(request).subscribe((e) => {
      if (e.type === 'partial') subscription.unsubscribe();
    });
    await waitFor(() => closed.length === 1);
    expect(closed).toEqual(started);
    const pending = rejection(runware.textInference(request));
    await waitFor(() => started.length === 2);
    await runware.disconnect();
    expect(await pending).toMatchObject({ code: 'aborted' });
    await waitFor(() => closed.length === 2);
    expect(closed).toEqual(started);
  });

  it('waits for a key function that answers later no longer than authTimeout, as a socket does, then asks it again', async () => {
    const origin = await serve(async (incoming, response) => {
      const [task] = await tasksOf(incoming);
      const taskUUID = String(task!['taskUUID']);
      startEvents(response);
      event(response, { taskUUID, delta: { text: 'Hi' } });
      event(response, { taskUUID, finishReason: 'stop' });
      event(response, '[DONE]');
      response.end();
    });
    let asked = 0;
    // The token service hangs the first time it is asked.
    const apiKey = (): Promise<string> => (++asked === 1 ? new Promise<string>(() => {}) : Promise.resolve('k'));
    const runware = createRunware({ apiKey, url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, authTimeout: 100, retryDelay: 10 });
    const events = await lastValueFrom(runware.textInference$(request, { timeout: 5_000 }).pipe(toArray()));
    await runware.disconnect();
    expect(events.map((e) => e.type)).toEqual(['retrying', 'submitted', 'partial', 'result']);
    expect(events[0]).toMatchObject({ type: 'retrying', error: { code: 'timeout', phase: 'auth', sent: false } });
    expect(asked).toBe(2);
  });

  it('waits at least as long as a refusal\'s Retry-After before it sends the task again (protocol §10.4)', async () => {
    const origin = await refusingThenAnswering(1, (response, _post, taskUUID) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify({ errors: [{ code: 'rateLimitExceeded', message: 'Slow down.', taskUUID, taskType: 'textInference' }] }));
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, retryDelay: 10 });
    const events = await lastValueFrom(runware.textInference$(request).pipe(toArray()));
    await runware.disconnect();
    const retrying = events.find((e) => e.type === 'retrying');
    expect(retrying).toMatchObject({ type: 'retrying', error: { code: 'rateLimit' } });
    // The server asked for a second: a retry after retryDelay's 10 ms would be turned away again.
    expect(retrying?.type === 'retrying' ? retrying.delay : 0).toBeGreaterThanOrEqual(1000);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'Hi' } });
  });

  it('reads a 429 or 503 without a Runware body as the rate limit or server error it is, and retries it as one', async () => {
    const origin = await refusingThenAnswering(2, (response, post) => {
      response.writeHead(post === 1 ? 429 : 503, { 'content-type': 'text/plain', ...(post === 1 ? { 'retry-after': '0' } : {}) });
      response.end('busy');
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, retryDelay: 10 });
    const events = await lastValueFrom(runware.textInference$(request).pipe(toArray()));
    await runware.disconnect();
    const retries = events.filter((e) => e.type === 'retrying');
    expect(retries.map((e) => e.error)).toMatchObject([
      { code: 'rateLimit', serverCode: 'http429', retryable: true, details: { retryAfterMs: 0 } },
      { code: 'serverError', serverCode: 'http503', retryable: true },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'Hi' } });
  });

  it('reads a refusal without a Runware body by its HTTP status', async () => {
    const origin = await serve((_incoming, response) => {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<h1>Not found</h1>');
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    const error = await rejection(runware.textInference(request));
    await runware.disconnect();
    expect(error).toMatchObject({ code: 'notFound', serverCode: 'http404', retryable: false });
    expect(error.message).toContain('HTTP 404');
  });
});
