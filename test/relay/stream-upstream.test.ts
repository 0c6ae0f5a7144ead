import type { Subscription } from 'rxjs';
import { asyncScheduler, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loopbackHttp } from '../support/loopback-http.js';
import { waitFor } from '../support/wait-for.js';
import type { RelayServer } from './support.js';
import { browser, realKeySimulator, relayServer } from './support.js';
import { httpOf, post, tap, TEXT, textTask } from './stream-support.js';

/*
 * The relay's request to Runware: it runs to its end when the page goes away (the answer holds the
 * user's slot until then), it is stopped when the relay closes, and a stream cut short is taken up again by runware-rx through
 * the relay (sent again under its taskUUID, then fetched with getResponse). A tap between the
 * relay and the simulator sees each request and how it ended.
 */

const serve = loopbackHttp();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Opens a stream as a page would and waits until the relay says Runware took it (the first bytes); returns the reader. */
async function openStream(server: RelayServer, signal?: AbortSignal): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const response = await fetch(httpOf(server), {
    method: 'POST',
    headers: { authorization: 'Bearer erin-token', 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify([textTask()]),
    ...(signal === undefined ? {} : { signal }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain(': keep-alive');
  return reader;
}

/** Reads a stream to its end. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (let next = await reader.read(); !next.done; next = await reader.read());
}

describe('the upstream request of a stream', () => {
  it("runs to its end when the page goes away, and holds the user's in-flight slot until then", async () => {
    // Runware may go on making (and billing) an answer nobody reads: it counts until it is over.
    const sim = await realKeySimulator({ imageLatencyMs: 1500 });
    const upstream = await tap(serve, sim.httpUrl);
    const server = await relayServer(sim, { httpUrl: upstream.url, authorize: () => ({ userId: 'erin', maxInFlight: 1 }) });
    const page = new AbortController();
    await openStream(server, page.signal);
    page.abort();
    const busy = await post(server, 'erin-token', [textTask()]);
    expect(busy.status).toBe(429);
    expect(busy.json?.errors).toEqual([expect.objectContaining({ code: 'inFlightRateLimitExceeded' })]);
    expect(upstream.taskTypes).toEqual(['textInference']);
    // Read to its end, not cut: then the slot is free again and the next stream is taken.
    await waitFor(() => upstream.ends.length === 1);
    expect(upstream.ends).toEqual(['finished']);
    await server.logOf((record) => record.event === 'relay.streamEnded' && record.detail.includes('ended by Runware'));
    const next = await post(server, 'erin-token', [textTask()]);
    expect(next.status).toBe(200);
    expect(upstream.taskTypes).toEqual(['textInference', 'textInference']);
  });

  it("is stopped when the relay closes, and the page's stream ends without [DONE]", async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 60_000 });
    const upstream = await tap(serve, sim.httpUrl);
    const server = await relayServer(sim, { httpUrl: upstream.url, authorize: () => ({ userId: 'erin' }) });
    const reader = await openStream(server);
    await server.relay.close();
    await drain(reader);
    await waitFor(() => upstream.ends.length === 1);
    expect(upstream.ends).toEqual(['cut']);
    const late = await post(server, 'erin-token', [textTask()]);
    expect(late.status).toBe(503);
    expect(late.json?.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable' })]);
  });

  it('is stopped when the relay closes, also once its page has gone away and its answer is read on unwatched', async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 60_000 });
    const upstream = await tap(serve, sim.httpUrl);
    const server = await relayServer(sim, { httpUrl: upstream.url, authorize: () => ({ userId: 'erin' }) });
    const page = new AbortController();
    await openStream(server, page.signal);
    page.abort();
    // The relay has seen the page go: it reads Runware's answer on, unwatched, until it closes.
    await server.logOf((record) => record.event === 'relay.pageLeft' && record.detail.includes('read to its end'));
    await server.relay.close();
    await waitFor(() => upstream.ends.length === 1);
    expect(upstream.ends).toEqual(['cut']);
    await server.logOf((record) => record.event === 'relay.streamEnded' && record.detail.includes('the relay is closing'));
  });

  it('arms no wait for the unwatched answer when the logger closes the relay as it is told the page went away', async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 60_000 });
    const upstream = await tap(serve, sim.httpUrl);
    const waits: Subscription[] = [];
    const schedule = asyncScheduler.schedule.bind(asyncScheduler);
    vi.spyOn(asyncScheduler, 'schedule').mockImplementation((work, delay, state) => {
      const wait = schedule(work, delay, state);
      // The relay's bound on reading an answer nobody waits for (http-forward.ts).
      if (delay === 300_000) waits.push(wait);
      return wait;
    });
    let closing: Promise<void> | undefined;
    const server: RelayServer = await relayServer(sim, {
      httpUrl: upstream.url,
      authorize: () => ({ userId: 'erin' }),
      logger: (record) => {
        if (record.event === 'relay.pageLeft' && closing === undefined) closing = server.relay.close();
      },
    });
    const page = new AbortController();
    await openStream(server, page.signal);
    page.abort();
    await waitFor(() => closing !== undefined);
    await closing;
    await waitFor(() => upstream.ends.length === 1);
    expect(upstream.ends).toEqual(['cut']);
    // A wait of 300 s for a stream already over would keep a Node process alive that long.
    expect(waits.filter((wait) => !wait.closed)).toEqual([]);
  });

  it('that breaks off is taken up by runware-rx through the relay: sent again under its taskUUID, then its whole answer fetched', async () => {
    // The deltas are spread over 300 ms, so the break comes after the first and before the last.
    const sim = await realKeySimulator({ imageLatencyMs: 300 });
    const upstream = await tap(serve, sim.httpUrl);
    const server = await relayServer(sim, { httpUrl: upstream.url });
    upstream.cutNextStream();
    const events = await lastValueFrom(browser(server, 'alice-session-token').textInference$(TEXT).pipe(toArray()));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['submitted', 'partial']);
    expect(types).toContain('retrying');
    const last = events.at(-1)!;
    if (last.type !== 'result') throw new Error(`the request ended with ${last.type}`);
    const [whole] = await browser(server, 'alice-session-token').textInference({ ...TEXT, deliveryMethod: 'sync' });
    expect(last.item.text).toBe(whole!.text);
    // The stream, the same task again (the simulator answers that it has it), then its result.
    expect(upstream.taskTypes.slice(0, 3)).toEqual(['textInference', 'textInference', 'getResponse']);
    expect(new Set(sim.receivedTasks().filter((task) => task['deliveryMethod'] === 'stream' || task['taskType'] === 'getResponse').map((task) => task['taskUUID'])).size).toBe(1);
  });
});
