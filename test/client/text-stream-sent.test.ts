import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunwareOptions, TaskEvent } from 'runware-rx';
import type { TextInferenceDelta, TextInferenceResult } from 'runware-rx/tasks';
import { createRunware } from 'runware-rx';
import { loopbackHttp } from '../support/loopback-http.js';

/*
 * Whether a streamed textInference was sent: `submitted` and `sent: true` say the server may have
 * the task (and bill it). A fetch that failed before its request left (nothing listens on the
 * port) sent nothing; one that failed after the server read the request may have, and so may one
 * the server holds without a word, once the client gives up on it.
 */

type Event = TaskEvent<TextInferenceResult, TextInferenceDelta>;

const request = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' as const };

const serve = loopbackHttp();

/** A loopback port that nothing listens on: one the system gave a server, which is then closed. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
};

/** Streams "Hi" as the answer to the task POSTed. */
const answerHi = (incoming: IncomingMessage, response: ServerResponse): void => {
  let body = '';
  incoming.on('data', (chunk) => (body += String(chunk)));
  incoming.on('end', () => {
    const [task] = JSON.parse(body) as { taskUUID: string }[];
    const { taskUUID } = task!;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(`data: ${JSON.stringify({ taskUUID, delta: { text: 'Hi' } })}\n\n`);
    response.write(`data: ${JSON.stringify({ taskUUID, finishReason: 'stop' })}\n\n`);
    response.end('data: [DONE]\n\n');
  });
};

/** Every event of a request, and its error if it failed. */
const record = (events$: Observable<Event>): Promise<{ events: Event[]; error: unknown }> =>
  new Promise((resolve) => {
    const events: Event[] = [];
    events$.subscribe({ next: (e) => events.push(e), error: (error: unknown) => resolve({ events, error }), complete: () => resolve({ events, error: undefined }) });
  });

describe('a streamed answer whose request never left', () => {
  it('is not reported submitted when the endpoint refuses the connection, and fails with sent: false', async () => {
    const port = await closedPort();
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `http://127.0.0.1:${port}/v1`, retryDelay: 10, maxRetries: 1 });
    const { events, error } = await record(runware.textInference$(request));
    await runware.disconnect();
    expect(events.map((e) => e.type)).toEqual(['retrying']);
    expect(events[0]).toMatchObject({ type: 'retrying', error: { code: 'connection', sent: false } });
    expect(error).toMatchObject({ code: 'connection', sent: false, taskUUID: expect.any(String), message: expect.stringContaining('ECONNREFUSED') });
  });

  it('is sent again under its taskUUID once the endpoint listens, and is reported submitted then', async () => {
    const port = await closedPort();
    const taskUUIDs: string[] = [];
    let asked = 0;
    // The key is asked before each POST: the second time, the endpoint starts listening first.
    const apiKey = async (): Promise<string> => {
      asked += 1;
      if (asked === 2)
        await serve((incoming, response) => {
          incoming.once('data', (chunk) => taskUUIDs.push((JSON.parse(String(chunk)) as { taskUUID: string }[])[0]!.taskUUID));
          answerHi(incoming, response);
        }, port);
      return 'k';
    };
    const runware = createRunware({ apiKey, url: 'ws://127.0.0.1:9/v1', httpUrl: `http://127.0.0.1:${port}/v1`, retryDelay: 10 });
    const { events, error } = await record(runware.textInference$(request));
    await runware.disconnect();
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['retrying', 'submitted', 'partial', 'result']);
    // The refused attempt and the one the server answered are the same task.
    expect(events[0]).toMatchObject({ type: 'retrying', error: { code: 'connection', sent: false, taskUUID: events.at(-1)!.taskUUID } });
    expect(taskUUIDs).toEqual([events.at(-1)!.taskUUID]);
  });
});

describe('a streamed answer whose request the server holds without answering', () => {
  /*
   * The client's clock is faked (RxJS reads Date and schedules with setInterval), so that the
   * deadline is read off the clock rather than guessed at; the HTTP exchange itself is real.
   */
  const ANSWER_TIMEOUT = 5_000;

  /** The request's events and its end, as they stand at each look. */
  interface Seen {
    events: Event[];
    error?: unknown;
  }

  /**
   * Sends the request to a server that reads it and never answers, under a fake clock, and
   * resolves once the request has arrived whole (the client's clock has not moved since).
   */
  const heldRequest = async (options: RunwareOptions, timeout?: number): Promise<{ runware: ReturnType<typeof createRunware>; seen: Seen }> => {
    const { origin, whole } = await holdingServer();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, answerTimeout: ANSWER_TIMEOUT, ...options });
    const seen: Seen = { events: [] };
    runware.textInference$(request, timeout === undefined ? {} : { timeout }).subscribe({ next: (e) => seen.events.push(e), error: (error: unknown) => (seen.error = error) });
    await whole;
    return { runware, seen };
  };

  /** A server that reads a request and never answers, and when the first request has arrived whole. */
  const holdingServer = async (): Promise<{ origin: string; whole: Promise<void> }> => {
    let arrived!: () => void;
    const whole = new Promise<void>((resolve) => (arrived = resolve));
    const origin = await serve((incoming) => {
      incoming.resume();
      incoming.on('end', arrived);
    });
    return { origin, whole };
  };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails with the answer deadline counted from when the request was written, and only then takes it as submitted: nothing said it never left', async () => {
    const { runware, seen } = await heldRequest({ maxRetries: 0 }, 60_000);
    vi.advanceTimersByTime(ANSWER_TIMEOUT - 1);
    const before = { events: seen.events.map((e) => e.type), error: seen.error };
    vi.advanceTimersByTime(1);
    // The answer deadline, not the whole task's, and from the write: the wait for the answer was timed.
    expect(seen.error).toMatchObject({ code: 'timeout', phase: 'answer', sent: true });
    // Until then nothing said whether the request reached the server.
    expect(before).toEqual({ events: [], error: undefined });
    expect(seen.events.map((e) => e.type)).toEqual(['submitted']);
    vi.useRealTimers();
    await runware.disconnect();
  });

  it('fails with the whole-task timeout, sent: true after submitted, when that comes before the answer deadline', async () => {
    const { runware, seen } = await heldRequest({}, 500);
    vi.advanceTimersByTime(500);
    expect(seen.events.map((e) => e.type)).toEqual(['submitted']);
    expect(seen.error).toMatchObject({ code: 'timeout', phase: 'total', sent: true });
    vi.useRealTimers();
    await runware.disconnect();
  });

  it('fails with sent: true, after submitted, when disconnect() ends it while the server holds it', async () => {
    const { runware, seen } = await heldRequest({});
    vi.useRealTimers();
    await runware.disconnect();
    expect(seen.events.map((e) => e.type)).toEqual(['submitted']);
    expect(seen.error).toMatchObject({ code: 'aborted', sent: true });
  });

  it('fails with sent: true, and says it may be billed, when the Promise method\'s AbortSignal ends it while the server holds it', async () => {
    const { origin, whole } = await holdingServer();
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    const controller = new AbortController();
    const pending = runware.textInference(request, { signal: controller.signal });
    await whole;
    controller.abort();
    const error: unknown = await pending.catch((failure: unknown) => failure);
    await runware.disconnect();
    // The same as disconnect() says: nothing proved that the request never reached the server.
    expect(error).toMatchObject({ code: 'aborted', sent: true, taskUUID: expect.any(String), message: expect.stringContaining('may still complete (and bill)') });
  });
});

describe('a streamed answer whose connection broke after the server read the request', () => {
  it('is reported submitted, and fails with sent: true: the server may have started (and billed) it', async () => {
    const requests: string[] = [];
    const origin = await serve((incoming) => {
      // The whole request arrived; then the connection is reset without an answer.
      incoming.on('data', () => {});
      incoming.on('end', () => {
        requests.push(incoming.url ?? '');
        incoming.socket.resetAndDestroy();
      });
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, retryDelay: 10, maxRetries: 1 });
    const { events, error } = await record(runware.textInference$(request));
    await runware.disconnect();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'retrying']);
    expect(error).toMatchObject({ code: 'connection', sent: true });
    expect(requests).toHaveLength(2);
  });
});

describe('a streamed answer whose logger ends it on the line of its request', () => {
  it('is not POSTed: only the request made after it reaches the server', async () => {
    const posted: string[] = [];
    const origin = await serve((incoming, response) => {
      incoming.once('data', (chunk) => posted.push((JSON.parse(String(chunk)) as { taskUUID: string }[])[0]!.taskUUID));
      answerHi(incoming, response);
    });
    let stopped: string | undefined;
    let stop: (() => void) | undefined;
    const runware = createRunware({
      apiKey: 'k',
      url: 'ws://127.0.0.1:9/v1',
      httpUrl: `${origin}/v1`,
      logger: (record) => {
        if (record.event !== 'http.out' || stop === undefined) return;
        stopped = (JSON.parse(record.detail) as { taskUUID: string }[])[0]!.taskUUID;
        stop();
        stop = undefined;
      },
    });
    const subscription = runware.textInference$(request).subscribe({ error: () => undefined });
    stop = () => subscription.unsubscribe();
    // A request made while the first was still starting: the logger stops the first on its line.
    const { error } = await record(runware.textInference$(request));
    await runware.disconnect();
    expect(error).toBeUndefined();
    expect(stopped).toBeDefined();
    // A POST made for the stopped request would be a task billed with nobody listening.
    expect(posted).not.toContain(stopped);
    expect(posted).toHaveLength(1);
  });
});
