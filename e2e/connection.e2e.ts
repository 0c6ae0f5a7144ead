/*
 * The browser's native WebSocket against a simulator that misbehaves the ways a real one does:
 * sockets dropped with and without a close frame, a server that stops and comes back, one that
 * is not there or refuses the upgrade, a wrong key, and a client disconnected and used again.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ConnectionState } from 'runware-rx';
import { expect, test } from './fixtures.js';

/** What a page's request and its client's states look like to the test while it runs. */
interface Watched {
  readonly states: ConnectionState[];
  readonly events: string[];
  readonly outcome: Promise<string>;
  readonly disconnect: () => Promise<void>;
}

declare global {
  interface Window {
    watched?: Watched;
  }
}

/** A loopback port with nothing listening on it. */
const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

/** What a watched video's client is made with, beyond its URL (`retryDelay` 50 unless given). */
interface WatchedOptions {
  readonly retryDelay?: number;
  readonly heartbeatInterval?: number;
  readonly heartbeatTimeout?: number;
}

/** Starts a video in the page, recording its events and the client's states on `window.watched`. */
const startVideo = (wsUrl: string | { readonly url: string; readonly options: WatchedOptions }): Promise<void> =>
  Promise.resolve().then(() => {
    const { createRunware } = window.runwareE2E!;
    const { url, options } = typeof wsUrl === 'string' ? { url: wsUrl, options: {} } : wsUrl;
    const runware = createRunware({ apiKey: 'e2e-key', url, retryDelay: 50, ...options });
    const states: ConnectionState[] = [];
    runware.state$.subscribe((state) => states.push(state));
    const events: string[] = [];
    const outcome = new Promise<string>((resolve) => {
      runware.video$({ model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 }).subscribe({
        next: (event) => events.push(event.type),
        error: (error: unknown) => resolve(`error: ${String(error)}`),
        complete: () => resolve('complete'),
      });
    });
    window.watched = { states, events, outcome, disconnect: () => runware.disconnect() };
  });

/** Waits for the request in the page to end; returns how, with the states the client went through. */
const finish = (page: import('@playwright/test').Page) =>
  page.evaluate(async () => {
    const { outcome, states, events, disconnect } = window.watched!;
    const ended = await outcome;
    await disconnect();
    return { ended, events, states: states.map((state) => ({ type: state.type, ...('resumed' in state ? { resumed: state.resumed } : {}), ...('error' in state && state.error ? { closeCode: state.error.details?.['closeCode'], message: state.error.message } : {}) })) };
  });

test('a socket dropped mid-task, abruptly (1006) or with a close frame (1011, 1001, 1000), is replaced: the session resumes and the video completes', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 1500 });
  for (const [code, reason] of [[1006, ''], [1011, ': Simulated server error'], [1001, ': Simulated server restart'], [1000, ': Simulated clean close']] as const) {
    await app.evaluate(startVideo, simulator.url);
    await app.waitForFunction(() => window.watched!.events.includes('accepted'));
    expect(simulator.faults.drop(code === 1006 ? { closeFrame: false } : { code })).toBe(1);
    const run = await finish(app);
    expect(run.ended, `after ${code}`).toBe('complete');
    expect(run.events.filter((type) => type === 'result'), `after ${code}`).toHaveLength(1);
    expect(run.states.filter((state) => state.type === 'reconnecting'), `after ${code}`).toEqual([{ type: 'reconnecting', closeCode: code, message: `The connection closed (code ${code}${reason})` }]);
    expect(run.states.filter((state) => state.type === 'open')).toEqual([
      { type: 'open', resumed: false },
      { type: 'open', resumed: true },
    ]);
  }
  expect(simulator.stats().tasksStarted['videoInference']).toBe(4);
  expect(pageErrors).toEqual([]);
});

test('a server gone silent (half-open) after a garbage frame is noticed by the heartbeat: the socket is replaced, the session resumes and the video completes', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 1500 });
  await app.evaluate(startVideo, { url: simulator.url, options: { heartbeatInterval: 200, heartbeatTimeout: 300 } });
  await app.waitForFunction(() => window.watched!.events.includes('accepted'));
  expect(simulator.faults.sendGarbage()).toBe(1);
  expect(simulator.faults.freeze()).toBe(1);
  const run = await finish(app);
  expect(run.ended).toBe('complete');
  expect(run.states.filter((state) => state.type === 'reconnecting').map((state) => state.message)).toEqual(['The server did not answer a ping within 300 ms; the connection is presumed dead.']);
  expect(run.states.filter((state) => state.type === 'open').map((state) => state.resumed)).toEqual([false, true]);
  expect(pageErrors).toEqual([]);
});

test('a page that comes back online dials at once instead of sitting out its reconnect wait, and the video completes', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator({ videoReadyAfterMs: 1500 });
  // The first reconnect wait is the 30 s cap: only the online event can end it sooner.
  await app.evaluate(startVideo, { url: simulator.url, options: { retryDelay: 60_000 } });
  await app.waitForFunction(() => window.watched!.events.includes('accepted'));
  await app.context().setOffline(true);
  expect(simulator.faults.drop({ closeFrame: false })).toBe(1);
  await app.waitForFunction(() => window.watched!.states.some((state) => state.type === 'reconnecting'));
  const waiting = await app.evaluate(() => window.watched!.states.find((state) => state.type === 'reconnecting'));
  expect(waiting).toMatchObject({ delay: expect.any(Number) });
  expect((waiting as { delay: number }).delay).toBeGreaterThanOrEqual(30_000);
  // The browser fires `online`; the client is open again well before its 30 s wait would end.
  await app.context().setOffline(false);
  await app.waitForFunction(() => window.watched!.states.filter((state) => state.type === 'open').length === 2, undefined, { timeout: 20_000 });
  const run = await finish(app);
  expect(run.ended).toBe('complete');
  expect(run.states.filter((state) => state.type === 'open').map((state) => state.resumed)).toEqual([false, true]);
  expect(pageErrors).toEqual([]);
});

test('the server stops mid-task and comes back on the same port: the page keeps dialling, gets in, and the video completes', async ({ app, startSimulator }) => {
  const first = await startSimulator({ videoReadyAfterMs: 1500 });
  await app.evaluate(startVideo, first.url);
  await app.waitForFunction(() => window.watched!.events.includes('accepted'));
  await first.close();
  // Dialled at least once while nothing listened.
  await app.waitForFunction(() => window.watched!.states.filter((state) => state.type === 'reconnecting').length >= 2);
  const second = await startSimulator({ videoReadyAfterMs: 200, port: first.port });
  const run = await finish(app);
  expect(run.ended).toBe('complete');
  expect(run.states[4]).toEqual({ type: 'reconnecting', closeCode: 1001, message: 'The connection closed (code 1001: Simulator closing)' });
  // The new server never heard of the session or the task: the client submits it again, once.
  expect(second.stats().tasksStarted['videoInference']).toBe(1);
});

test('a server that is not there, or refuses the upgrade, fails connect() with an error that names the URL and the close code, as ws names its cause in Node', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator();
  const nowhere = `ws://127.0.0.1:${await freePort()}/v1`;
  const wrongPath = simulator.url.replace(/\/v1$/, '/v2');
  const failures = await app.evaluate(async (urls) => {
    const { createRunware } = window.runwareE2E!;
    const outcomes = [];
    for (const url of urls) {
      const runware = createRunware({ apiKey: 'e2e-key', url, maxReconnectAttempts: 0 });
      type Failure = { code?: string; message?: string; retryable?: boolean; details?: Record<string, unknown> };
      const connected = await runware.connect().then(
        () => ({ url, connected: true }),
        (error: Failure) => ({ url, code: error.code, message: error.message, retryable: error.retryable, closeCode: error.details?.['closeCode'] }),
      );
      // A request fails at once, not retried, and keeps what the socket said of the failure.
      const request = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'nowhere', width: 512, height: 512 }).then(
        () => ({ resolved: true }),
        (error: Failure) => ({ code: error.code, retryable: error.retryable, closeCode: error.details?.['closeCode'] }),
      );
      outcomes.push({ ...connected, request });
    }
    return outcomes;
  }, [nowhere, wrongPath]);
  for (const failure of failures) {
    expect(failure).toMatchObject({ code: 'connection', retryable: true, closeCode: 1006 });
    expect('request' in failure && failure.request).toEqual({ code: 'connection', retryable: false, closeCode: 1006 });
    expect('message' in failure && failure.message).toContain(failure.url);
    expect('message' in failure && failure.message).toContain('code 1006');
  }
  // The browser's own console line for a failed WebSocket is all the page logs.
  expect(pageErrors.filter((line) => !line.startsWith('WebSocket connection to '))).toEqual([]);
});

test('a wrong key fails connect(), and a request after it, with an auth error that is not retried; nothing runs', async ({ app, startSimulator }) => {
  const simulator = await startSimulator({ apiKey: 'the-right-key' });
  const outcome = await app.evaluate(async (url) => {
    const { createRunware } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'a-wrong-key', url });
    const error = await runware.connect().then(
      () => undefined,
      (failure: { code?: string; retryable?: boolean }) => ({ code: failure.code, retryable: failure.retryable }),
    );
    const images = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'after a refusal', width: 512, height: 512 }).then(
      () => 'resolved',
      (failure: { code?: string }) => failure.code,
    );
    await runware.disconnect();
    return { error, images };
  }, simulator.url);
  expect(outcome.error).toEqual({ code: 'auth', retryable: false });
  expect(outcome.images).toBe('auth');
  expect(simulator.stats().tasksReceived['imageInference']).toBeUndefined();
});

test('after disconnect() a client is used again: a request reconnects by itself, and so does connect()', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator();
  const outcome = await app.evaluate(async (url) => {
    const { createRunware } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url });
    const image = { model: 'runware:101@1', width: 512, height: 512 };
    const counts: number[] = [];
    const states: string[] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    counts.push((await runware.imageInference({ ...image, positivePrompt: 'first' })).length);
    await runware.disconnect();
    counts.push((await runware.imageInference({ ...image, positivePrompt: 'after disconnect' })).length);
    await runware.disconnect();
    await runware.connect();
    counts.push((await runware.imageInference({ ...image, positivePrompt: 'after connect' })).length);
    await runware.disconnect();
    return { counts, states };
  }, simulator.url);
  expect(outcome.counts).toEqual([1, 1, 1]);
  expect(outcome.states.filter((type) => type === 'open')).toHaveLength(3);
  expect(outcome.states.at(-1)).toBe('closed');
  expect(simulator.stats().openSockets).toBe(0);
  expect(pageErrors).toEqual([]);
});
