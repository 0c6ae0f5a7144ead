import { randomUUID } from 'node:crypto';
import { asyncScheduler } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createMemoryStore, RelayStoreFullError } from 'runware-rx/relay';
import { UserLedger } from '../../src/relay/user-ledger.js';
import type { Frame } from '../simulator/support/raw-client.js';
import { authenticate } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer, spyStore } from './support.js';

/*
 * Everything a browser can make the relay hold or compute is bounded: before authentication a
 * frame is small and carries few tasks; after it, tasks per frame, UUIDs per task and bytes
 * waiting for a browser that does not read are bounded, each with a clear answer.
 */

const ALICE = 'alice-session-token';

/** The first thing that happens on a socket: a frame, or its close. */
const firstOf = (client: Awaited<ReturnType<typeof rawBrowser>>): Promise<Frame | { code: number; reason: string }> => Promise.race([client.nextFrame(0), client.closed]);

describe('before a socket authenticates', () => {
  it('a frame above maxUnauthenticatedPayload (64 KiB) is not read: the socket closes with 1009 and gets no answer', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const mallory = await rawBrowser(server);
    // 100 KiB of empty tasks: read, it would be answered with 34 000 errors.
    mallory.send(`[${Array.from({ length: 34_000 }, () => '{}').join(',')}]`);
    expect(await firstOf(mallory)).toEqual({ code: 1009, reason: 'Frame too large before authentication' });
    expect(mallory.frames).toEqual([]);
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('a message sent in fragments and never finished is not held past maxUnauthenticatedPayload: the socket closes with 1009', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const mallory = new WebSocket(server.url, { perMessageDeflate: false });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => mallory.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise((resolve) => mallory.once('open', resolve));
    // ws assembles a message whole before the relay sees it: 4 MiB of one message, its last fragment never sent.
    const chunk = 'x'.repeat(1024 * 1024);
    for (let index = 0; index < 4; index += 1) mallory.send(chunk, { fin: false });
    expect(await closed).toEqual({ code: 1009, reason: 'Frame too large before authentication' });
  });

  it('frames a client sends right after its authentication, while authorize decides, are each held to the limit, not all together', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      // An authorize that asks a database: the client's next frames arrive before it answers.
      authorize: async ({ token }) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return token === ALICE ? { userId: 'alice' } : undefined;
      },
    });
    const alice = await rawBrowser(server);
    alice.send([{ taskType: 'authentication', apiKey: ALICE }]);
    const tasks = [randomUUID(), randomUUID()];
    // Each frame is below maxUnauthenticatedPayload (64 KiB); the two together are above it.
    for (const taskUUID of tasks) alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE, negativePrompt: 'n'.repeat(40_000) }]);
    const outcome = await Promise.race([alice.closed.then((closed) => ({ closed })), Promise.all(tasks.map((taskUUID) => alice.results(taskUUID))).then(() => 'answered')]);
    expect(outcome).toBe('answered');
  });

  it('with a small maxUnauthenticatedPayload, many small frames sent together before authorize answers all pass', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      maxUnauthenticatedPayload: 4096,
      authorize: async ({ token }) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return token === ALICE ? { userId: 'alice' } : undefined;
      },
    });
    const alice = await rawBrowser(server);
    alice.send([{ taskType: 'authentication', apiKey: ALICE }]);
    // Twelve frames of 3 KB, likely read in one go: each is within the limit, together nine times it.
    const tasks = Array.from({ length: 12 }, () => randomUUID());
    for (const taskUUID of tasks) alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE, negativePrompt: 'n'.repeat(3000) }]);
    const outcome = await Promise.race([alice.closed.then((closed) => ({ closed })), Promise.all(tasks.map((taskUUID) => alice.results(taskUUID))).then(() => 'answered')]);
    expect(outcome).toBe('answered');
  });

  it('a frame of more than 16 tasks gets one invalidPayload and none of its tasks is answered', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const mallory = await rawBrowser(server);
    mallory.send(Array.from({ length: 17 }, () => ({ taskType: 'ping', ping: true })));
    expect(await firstOf(mallory)).toEqual({ errors: [expect.objectContaining({ code: 'invalidPayload' })] });
    // The socket still authenticates normally.
    expect(await authenticate(mallory, ALICE)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('once authenticated', () => {
  it('a frame of more than maxTasksPerFrame tasks gets an invalidPayload naming each of its tasks, in one frame, and nothing goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { maxTasksPerFrame: 4 });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const before = alice.frames.length;
    const crowded = Array.from({ length: 5 }, () => ({ taskType: 'imageInference', taskUUID: randomUUID(), ...IMAGE }));
    alice.send(crowded);
    expect(await alice.nextFrame(before)).toEqual({
      errors: crowded.map(({ taskUUID }) => expect.objectContaining({ code: 'invalidPayload', taskType: 'imageInference', taskUUID, message: expect.stringContaining('at most 4') as unknown })),
    });
    const four = Array.from({ length: 4 }, () => ({ taskType: 'ping', ping: true }));
    alice.send(four);
    // Each pong is a frame of its own.
    await alice.nextFrame(before + 4);
    expect(alice.frames.slice(before + 1)).toEqual(four.map(() => ({ data: [{ taskType: 'ping', pong: true }] })));
    expect(sim.receivedTasks().filter((task) => task.taskType === 'imageInference')).toEqual([]);
  });

  it('a task that refers to more than maxUUIDsPerTask distinct UUIDs is refused alone, and its UUIDs are never looked up', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const server = await relayServer(sim, { store, maxUUIDsPerTask: 8 });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const crowded = randomUUID();
    const fine = randomUUID();
    const many = Array.from({ length: 9 }, () => randomUUID());
    alice.send([
      { taskType: 'imageInference', taskUUID: crowded, ...IMAGE, positivePrompt: `refer to ${many.join(' ')}` },
      { taskType: 'imageInference', taskUUID: fine, ...IMAGE },
    ]);
    const refused = await alice.results(crowded);
    expect(refused.errors).toEqual([expect.objectContaining({ code: 'invalidPayload', taskUUID: crowded, message: expect.stringContaining('at most 8 distinct UUIDs') as unknown })]);
    expect((await alice.results(fine)).data).toEqual([expect.objectContaining({ taskUUID: fine, imageUUID: expect.any(String) as unknown })]);
    expect(sim.receivedTasks().map((task) => task.taskUUID)).not.toContain(crowded);
    expect(JSON.stringify(store.calls)).not.toContain(many[0]);
  });

  it("asks the store about a task's inputs in one call", async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const server = await relayServer(sim, { store });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const inputs = Array.from({ length: 6 }, () => randomUUID());
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE, inputs: { referenceImages: inputs.slice(0, 3) }, controlNet: inputs.slice(3).map((guideImage) => ({ model: 'x', guideImage })) }]);
    await alice.results(taskUUID);
    const lookUps = store.calls.filter((call) => (call.method === 'holdersOf' || call.method === 'holderOf') && JSON.stringify(call.args).includes(inputs[0]!));
    expect(lookUps).toEqual([{ method: 'holdersOf', args: [expect.arrayContaining(inputs), 'media'] }]);
  });
});

describe('a browser that stops reading', () => {
  it('is closed with 1013 once maxBufferedBytes wait for it; its session keeps the rest, and a resume gets every result', async () => {
    const sim = await realKeySimulator({ media: true });
    const store = spyStore();
    const server = await relayServer(sim, { store, maxBufferedBytes: 1024 * 1024 });
    const bob = await rawBrowser(server);
    const session = await authenticate(bob, 'bob-session-token');
    // A frozen tab, or an attacker: the socket is no longer read while results worth ~14 MB arrive for it.
    // ws's pause() stops reading the TCP socket, so the relay's writes back up as a frozen tab's would.
    bob.socket.pause();
    const taskUUID = randomUUID();
    const count = 8;
    bob.send([{ taskType: 'imageInference', taskUUID, ...IMAGE, width: 2048, height: 2048, numberResults: count, outputType: 'base64Data', outputFormat: 'PNG' }]);
    await server.logOf((record) => record.event === 'relay.slowReader', 60_000);
    bob.socket.resume();
    expect(await bob.closed).toEqual({ code: 1013, reason: 'Reading too slowly' });
    await server.logOf((record) => record.event === 'relay.settled' && record.detail.includes(taskUUID), 60_000);
    expect(store.calls.filter((call) => call.method === 'appendFrame').length).toBeGreaterThan(0);
    // Back, with its session: what it missed is replayed.
    const back = await rawBrowser(server);
    expect(await authenticate(back, 'bob-session-token', session)).toBe(session);
    const images = (): Set<unknown> => new Set([...bob.itemsFor(taskUUID).data, ...back.itemsFor(taskUUID).data].map((item) => item['imageUUID']));
    await back.until(() => (images().size === count ? true : undefined), 30_000);
    expect(images().size).toBe(count);
  }, 150_000);
});

/** Counts the steps of every Map iteration while `work` runs: the store's sweeping, whatever shape it takes. */
function mapSteps(work: () => void): number {
  const original = Map.prototype[Symbol.iterator];
  let steps = 0;
  Map.prototype[Symbol.iterator] = function counted(this: Map<unknown, unknown>) {
    const inner = original.call(this);
    return {
      next: () => {
        steps += 1;
        return inner.next();
      },
      [Symbol.iterator]() {
        return this;
      },
    } as MapIterator<[unknown, unknown]>;
  };
  try {
    work();
  } finally {
    Map.prototype[Symbol.iterator] = original;
  }
  return steps;
}

describe('the memory store', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses a new claim when full, and forgets none of the live ones', () => {
    const store = createMemoryStore({ maxClaims: 2 });
    store.claim('a', { userId: 'alice', kind: 'task' }, 60_000);
    store.claim('b', { userId: 'alice', kind: 'task' }, 60_000);
    expect(() => store.claim('c', { userId: 'bob', kind: 'task' }, 60_000)).toThrow(RelayStoreFullError);
    expect([store.holderOf('a', 'task'), store.holderOf('b', 'task'), store.holderOf('c', 'task')]).toEqual([
      { userId: 'alice', kind: 'task' },
      { userId: 'alice', kind: 'task' },
      undefined,
    ]);
    // Claiming again what is held answers the holder, full or not.
    expect(store.claim('a', { userId: 'bob', kind: 'task' }, 60_000)).toEqual({ userId: 'alice', kind: 'task' });
  });

  it('takes new claims again once old ones have expired', () => {
    let now = 1_000_000;
    vi.spyOn(asyncScheduler, 'now').mockImplementation(() => now);
    const store = createMemoryStore({ maxClaims: 100 });
    for (let index = 0; index < 100; index += 1) store.claim(`old-${index}`, { userId: 'u', kind: 'media' }, 10);
    expect(() => store.claim('one-too-many', { userId: 'u', kind: 'media' }, 10)).toThrow(RelayStoreFullError);
    now += 11;
    expect(store.claim('new', { userId: 'u', kind: 'media' }, 10)).toEqual({ userId: 'u', kind: 'media' });
    expect(store.holderOf('old-0', 'media')).toBeUndefined();
  });

  it('sweeps expired entries from the oldest, a few per write: the work per write does not grow with the entries', () => {
    const store = createMemoryStore();
    const writes = 100_000;
    const steps = mapSteps(() => {
      for (let index = 0; index < writes; index += 1) store.claim(randomUUID(), { userId: 'u', kind: 'task' }, 60_000);
    });
    expect(steps).toBeLessThan(writes * 10);
  });

  it('keeps task claims and media claims apart: a taskUUID equal to a media UUID claims nothing of the media', () => {
    const store = createMemoryStore();
    const uuid = randomUUID();
    expect(store.claim(uuid, { userId: 'bob', kind: 'task' }, 60_000)).toEqual({ userId: 'bob', kind: 'task' });
    expect(store.holderOf(uuid, 'media')).toBeUndefined();
    expect(store.claim(uuid, { userId: 'alice', kind: 'media' }, 60_000)).toEqual({ userId: 'alice', kind: 'media' });
    expect(store.holdersOf([uuid, randomUUID()], 'media')).toEqual([{ userId: 'alice', kind: 'media' }, undefined]);
  });

  it('releases a claim only for the claim that was made', () => {
    const store = createMemoryStore();
    store.claim('t', { userId: 'bob', kind: 'task', id: 'one' }, 60_000);
    store.release('t', { userId: 'bob', kind: 'task', id: 'other' });
    store.release('t', { userId: 'alice', kind: 'task', id: 'one' });
    expect(store.holderOf('t', 'task')).toEqual({ userId: 'bob', kind: 'task', id: 'one' });
    store.release('t', { userId: 'bob', kind: 'task', id: 'one' });
    expect(store.holderOf('t', 'task')).toBeUndefined();
  });

  it('bounds the bytes kept per session and in all, dropping a session’s oldest frames first', async () => {
    const store = createMemoryStore({ maxBytesPerSession: 10, maxFrameBytes: 15 });
    for (const text of ['12345', '6789a', 'bcdef']) store.appendFrame('s', { at: 0, text }, 60_000);
    expect(() => store.appendFrame('s', { at: 0, text: 'a frame of 21 bytes..' }, 60_000)).toThrow(RelayStoreFullError);
    for (const text of ['ABCDE', 'FGHIJ']) store.appendFrame('t', { at: 0, text }, 60_000);
    // 10 bytes for s and 10 for t would be 20: t's frames come in, s keeps what it had.
    expect(() => store.appendFrame('t', { at: 0, text: 'KLMNO' }, 60_000)).not.toThrow();
    expect((await store.takeFrames('s')).map((frame) => frame.text)).toEqual(['6789a', 'bcdef']);
    expect((await store.takeFrames('t')).map((frame) => frame.text)).toEqual(['KLMNO']);
  });
});

describe('the per-user ledger', () => {
  it('keeps no timestamps for a user without a rate, and no more than the rate for one with it', () => {
    const ledger = new UserLedger();
    for (let at = 0; at < 10_000; at += 1) {
      const reservation = ledger.reserve('free', at, {});
      if (typeof reservation === 'string') throw new Error(reservation);
      reservation.commit();
      ledger.settled('free');
    }
    expect(ledger.of('free').recent).toEqual([]);
    for (let at = 0; at < 100; at += 1) {
      const reservation = ledger.reserve('limited', at, { ratePerMinute: 5 });
      if (typeof reservation !== 'string') reservation.commit();
    }
    expect(ledger.of('limited').recent).toHaveLength(5);
  });

  it('gives back a refused submission’s slot and its place in the minute', () => {
    const ledger = new UserLedger();
    const first = ledger.reserve('u', 0, { maxInFlight: 1, ratePerMinute: 1 });
    expect(ledger.reserve('u', 0, { maxInFlight: 1, ratePerMinute: 1 })).toBe('ratePerMinute');
    if (typeof first === 'string') throw new Error(first);
    first.release();
    expect(ledger.of('u')).toMatchObject({ inFlight: 0, recent: [] });
    expect(typeof ledger.reserve('u', 1, { maxInFlight: 1, ratePerMinute: 1 })).toBe('object');
    expect(ledger.reserve('u', 2, { maxInFlight: 1 })).toBe('maxInFlight');
  });
});
