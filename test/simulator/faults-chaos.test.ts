import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type FaultEvent, type FaultOptions } from 'runware-rx/simulator';
import { useSimulator } from './support/harness.js';
import { imageTask, videoTask, type RawClient } from './support/raw-client.js';


/** Waits (at most `ms`) for an item of `taskUUID`, or any frame when none is given; or for the close. */
const outcome = (client: RawClient, ms: number, taskUUID?: string): Promise<'answer' | 'closed' | 'silent'> =>
  client
    .until(() => {
      if (taskUUID === undefined ? client.frames.length > 0 : client.itemsFor(taskUUID).data.length + client.itemsFor(taskUUID).errors.length > 0) {
        return 'answer' as const;
      }
      return client.socket.readyState === WebSocket.OPEN ? undefined : ('closed' as const);
    }, ms)
    .catch(() => 'silent' as const);

/** Events without the random parts (UUIDs), with tasks named by their index in the script. */
const shape = (events: FaultEvent[], ids: readonly string[]) =>
  events.map(({ kind, code, closeCode, taskUUID }) => ({ kind, code, closeCode, task: taskUUID === undefined ? undefined : ids.indexOf(taskUUID) }));

describe('simulator faults: seeded chaos', () => {
  const harness = useSimulator();

  const TASK_CHAOS: FaultOptions = {
    garbageRate: 0.2,
    unroutableRate: 0.15,
    duplicateRate: 0.25,
    rateLimitRate: 0.15,
    serverErrorRate: 0.1,
    itemFailureRate: 0.2,
    ackDropRate: 0.2,
    ackDelayRate: 0.3,
    ackDelayMs: 30,
  };

  /** 40 tasks, one at a time, each awaited: sync images and videos (whose ack may never come). */
  const taskScript = async (seed: number) => {
    const simulator = await harness.start({ media: false, faults: { ...TASK_CHAOS, seed } });
    const client = await harness.authed();
    const ids: string[] = [];
    for (let index = 0; index < 40; index++) {
      const task = index % 2 === 0 ? imageTask() : videoTask();
      ids.push(String(task['taskUUID']));
      client.send([task]);
      expect(await outcome(client, index % 2 === 0 ? 2000 : 200, ids[index])).not.toBe('closed');
    }
    const result = { events: shape(simulator.faults.events(), ids), counts: simulator.faults.counts() };
    await simulator.close();
    return result;
  };

  it('injects the same task and frame faults for the same seed and inputs, and others for another seed', async () => {
    const first = await taskScript(42);
    const again = await taskScript(42);
    const other = await taskScript(7);
    expect(again).toEqual(first);
    expect(other.events).not.toEqual(first.events);
    // Every kind configured here happened, and the counters agree with the event list.
    for (const kind of ['garbage', 'unroutable', 'duplicate', 'rateLimit', 'serverError', 'itemFailure', 'ackDrop', 'ackDelay'] as const) {
      expect(first.counts[kind]).toBe(first.events.filter((event) => event.kind === kind).length);
      expect(first.counts[kind]).toBeGreaterThan(0);
    }
    expect(first.counts).toMatchObject({ drop: 0, freeze: 0, authDelay: 0 });
    console.log('chaos seed 42, task faults:', first.counts);
  });

  /** A client that reconnects (resuming its session) whenever its socket dies or goes silent. */
  const socketScript = async (seed: number) => {
    const simulator = await harness.start({
      media: false,
      faults: { seed, dropRate: 0.12, freezeRate: 0.06, authDelayRate: 0.3, authDelayMs: 30 },
    });
    let sessionUUID: string | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      const client = await harness.client();
      client.send([{ taskType: 'authentication', apiKey: 'test-key', ...(sessionUUID ? { connectionSessionUUID: sessionUUID } : {}) }]);
      if ((await outcome(client, 200)) === 'answer') sessionUUID = String(client.frames[0]!.data?.[0]?.['connectionSessionUUID']);
      for (let sent = 0; sent < 5 && client.socket.readyState === WebSocket.OPEN; sent++) {
        const task = imageTask();
        client.send([task]);
        if ((await outcome(client, 200, String(task['taskUUID']))) !== 'answer') break;
      }
      await client.close();
    }
    const result = { events: shape(simulator.faults.events(), []), counts: simulator.faults.counts() };
    await simulator.close();
    return result;
  };

  it('drops, freezes and delays authentications the same way for the same seed', async () => {
    const first = await socketScript(3);
    const again = await socketScript(3);
    expect(again).toEqual(first);
    expect(first.counts.drop + first.counts.serverClose + first.counts.cleanClose).toBeGreaterThan(0);
    expect(first.counts.freeze).toBeGreaterThan(0);
    expect(first.counts.authDelay).toBeGreaterThan(0);
    console.log('chaos seed 3, socket faults:', first.counts);
  });

  it('is configured and reset at run time; counts cover every kind', async () => {
    const simulator = await harness.start({ media: false });
    const zero = simulator.faults.counts();
    expect(Object.values(zero).every((value) => value === 0)).toBe(true);
    expect(Object.keys(zero)).toHaveLength(14);

    const client = await harness.authed();
    simulator.faults.configure({ seed: 9, rateLimitRate: 1 });
    const rejected = imageTask();
    client.send([rejected]);
    expect((await client.results(String(rejected['taskUUID']))).errors[0]?.['code']).toMatch(/RateLimitExceeded$|^rateLimitExceeded$/);
    simulator.faults.configure({ rateLimitRate: 0, itemFailureRate: 1 });
    const failing = imageTask();
    client.send([failing]);
    expect((await client.results(String(failing['taskUUID']))).errors[0]).toMatchObject({ code: 'timeoutProvider' });
    expect(simulator.faults.counts()).toMatchObject({ rateLimit: 1, itemFailure: 1 });

    simulator.faults.dropAcks(5);
    simulator.faults.freeze();
    simulator.faults.reset();
    expect(simulator.faults.counts()).toEqual(zero);
    expect(simulator.faults.events()).toEqual([]);
    const video = videoTask();
    client.send([video]);
    expect((await client.results(String(video['taskUUID']))).data).toEqual([{ taskType: 'videoInference', taskUUID: video['taskUUID'] }]);
    expect(() => simulator.faults.configure({ dropRate: 1.5 })).toThrow(/dropRate/);
  });

  it('drops the socket at the first inbound frame with dropRate 1', async () => {
    const simulator = await harness.start({ media: false, faults: { dropRate: 1 } });
    const client = await harness.client();
    client.send([{ taskType: 'authentication', apiKey: 'test-key' }]);
    const { code } = await client.closed;
    expect([1006, 1011, 1001, 1000]).toContain(code);
    const { drop, serverClose, cleanClose } = simulator.faults.counts();
    expect(drop + serverClose + cleanClose).toBe(1);
  });

  it('rejects bad chaos options when starting', async () => {
    await expect(startSimulator({ faults: { dropRate: 2 } })).rejects.toThrow(/dropRate/);
    await expect(startSimulator({ faults: { seed: -1 } })).rejects.toThrow(/seed/);
    await expect(startSimulator({ faults: { ackDelayMs: -5 } })).rejects.toThrow(/ackDelayMs/);
    await expect(startSimulator({ faults: { dropRatio: 0.1 } as FaultOptions })).rejects.toThrow(/dropRatio/);
  });

  /** Records every timer created from now on that has neither fired nor been cleared, with its delay. */
  const trackTimers = () => {
    const pending = new Map<unknown, number>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((run: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = realSet(() => {
        pending.delete(handle);
        run(...args);
      }, ms);
      pending.set(handle, ms ?? 0);
      return handle;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
      pending.delete(handle);
      realClear(handle);
    });
    return () => [...pending.values()];
  };

  it('leaves no timer behind after close(), with delayed acks and auths pending and a frozen socket', async () => {
    const pending = trackTimers();
    try {
      const simulator = await harness.start({ media: false, idleTimeoutMs: 60_000 });
      simulator.faults.delayAcks(60_000);
      const client = await harness.authed();
      client.send([videoTask()]);
      simulator.faults.delayAuth(60_000);
      const waiting = await harness.client();
      waiting.send([{ taskType: 'authentication', apiKey: 'test-key' }]);
      await vi.waitFor(() => expect(simulator.faults.counts()).toMatchObject({ authDelay: 1, ackDelay: 1 }));
      simulator.faults.freeze();
      // Idle timers of both sockets, the delayed ack and the held authentication.
      expect(pending().filter((ms) => ms === 60_000)).toHaveLength(4);
      await simulator.close();
      await Promise.all([client.closed, waiting.closed]);
      // Only short timers may remain (ws close grace periods, which end by themselves).
      expect(pending().filter((ms) => ms >= 1000)).toEqual([]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
