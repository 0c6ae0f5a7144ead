import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { useSimulator } from './support/harness.js';
import { authenticate, imageTask, type RawClient } from './support/raw-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ping = [{ taskType: 'ping', ping: true }];
const pong = { data: [{ taskType: 'ping', pong: true }] };

describe('simulator faults: drops, freezes and stray frames', () => {
  const harness = useSimulator();

  /** Sends one image task and waits until the simulator has read it (so a fault comes after). */
  const submit = async (client: RawClient, overrides: Record<string, unknown> = {}) => {
    const task = imageTask(overrides);
    const before = harness.simulator.stats().tasksReceived['imageInference'] ?? 0;
    client.send([task]);
    await vi.waitFor(() => expect(harness.simulator.stats().tasksReceived['imageInference']).toBe(before + 1));
    return String(task['taskUUID']);
  };

  it('drops a socket without a close frame (1006); the session replays a result produced while down', async () => {
    const simulator = await harness.start({ imageLatencyMs: 150, media: false });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    const id = await submit(first);
    expect(simulator.faults.drop({ closeFrame: false })).toBe(1);
    await expect(first.closed).resolves.toMatchObject({ code: 1006 });
    await sleep(300);
    expect(first.itemsFor(id).data).toEqual([]);

    const second = await harness.client();
    expect(await authenticate(second, 'test-key', sessionUUID)).toBe(sessionUUID);
    expect((await second.results(id)).data).toEqual([expect.objectContaining({ taskUUID: id, imageURL: expect.any(String) })]);
    expect(simulator.faults.counts()).toMatchObject({ drop: 1, serverClose: 0, cleanClose: 0 });
    expect(simulator.faults.events()).toEqual([{ kind: 'drop', sessionUUID, closeCode: 1006 }]);
  });

  it.each([
    { code: 1011, kind: 'serverClose' },
    { code: 1001, kind: 'serverClose' },
    { code: 1000, kind: 'cleanClose' },
  ] as const)('closes with a $code close frame; the session survives', async ({ code, kind }) => {
    const simulator = await harness.start({ imageLatencyMs: 100, media: false });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    const id = await submit(first);
    expect(simulator.faults.drop({ code })).toBe(1);
    await expect(first.closed).resolves.toMatchObject({ code, reason: expect.stringMatching(/^Simulated/) });
    const second = await harness.client();
    await authenticate(second, 'test-key', sessionUUID);
    expect((await second.results(id)).data).toHaveLength(1);
    expect(simulator.faults.counts()[kind]).toBe(1);
  });

  it('drops with 1011 when only closeFrame is set, and only the sockets of the given session', async () => {
    const simulator = await harness.start({ media: false });
    const a = await harness.client();
    const b = await harness.client();
    const sessionA = await authenticate(a);
    await authenticate(b);
    expect(simulator.faults.drop({ closeFrame: true, sessionUUID: sessionA })).toBe(1);
    await expect(a.closed).resolves.toMatchObject({ code: 1011 });
    b.send(ping);
    expect(await b.nextFrame(1)).toEqual(pong);
    expect(simulator.faults.drop({ sessionUUID: 'no-such-session' })).toBe(0);
  });

  it('freezes a socket: no pongs (app or protocol level) for a second while it stays open; a resumed socket gets the buffered results', async () => {
    const simulator = await harness.start({ imageLatencyMs: 200, media: false, idleTimeoutMs: 300 });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    const id = await submit(first);
    expect(simulator.faults.freeze()).toBe(1);
    const ignored = imageTask();
    first.send([...ping, ignored]);
    let protocolPong = false;
    first.socket.on('pong', () => (protocolPong = true));
    first.socket.ping();
    // Longer than the result latency and the idle timeout: still nothing, still open.
    await sleep(1000);
    expect(first.frames).toHaveLength(1);
    expect(protocolPong).toBe(false);
    expect(first.socket.readyState).toBe(WebSocket.OPEN);
    expect(simulator.stats()).toMatchObject({ openSockets: 1 });
    expect(simulator.stats().tasksReceived).toEqual({ authentication: 1, imageInference: 1 });

    const second = await harness.client();
    await authenticate(second, 'test-key', sessionUUID);
    expect((await second.results(id)).data).toEqual([expect.objectContaining({ taskUUID: id })]);
    expect(second.itemsFor(String(ignored['taskUUID']))).toEqual({ data: [], errors: [] });
    expect(first.frames).toHaveLength(1);
    expect(simulator.faults.counts()).toMatchObject({ freeze: 1 });
  });

  it('thaws a frozen socket: it gets what was buffered meanwhile and answers again', async () => {
    const simulator = await harness.start({ imageLatencyMs: 100, media: false });
    const client = await harness.client();
    await authenticate(client);
    const id = await submit(client);
    simulator.faults.freeze();
    await sleep(250);
    expect(client.itemsFor(id).data).toEqual([]);
    expect(simulator.faults.thaw()).toBe(1);
    expect((await client.results(id)).data).toHaveLength(1);
    const before = client.frames.length;
    client.send(ping);
    expect(await client.nextFrame(before)).toEqual(pong);
    expect(simulator.faults.thaw()).toBe(0);
  });

  it('closes a frozen socket on simulator.close() (1001), and a client can close one itself', async () => {
    const simulator = await harness.start({ media: false });
    const kept = await harness.authed();
    const leaving = await harness.authed();
    expect(simulator.faults.freeze()).toBe(2);
    await leaving.close();
    await vi.waitFor(() => expect(simulator.stats().openSockets).toBe(1));
    await simulator.close();
    await expect(kept.closed).resolves.toMatchObject({ code: 1001 });
  });

  it('sends garbage (non-JSON text) and keeps serving the socket', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.authed();
    const unauthenticated = await harness.client();
    expect(simulator.faults.sendGarbage()).toBe(2);
    const garbage = await client.nextFrame(1);
    expect(garbage.raw).toEqual(expect.any(String));
    expect(() => JSON.parse(garbage.raw!)).toThrow();
    expect((await unauthenticated.nextFrame(0)).raw).toEqual(expect.any(String));
    client.send(ping);
    expect(await client.nextFrame(2)).toEqual(pong);
    expect(simulator.faults.counts().garbage).toBe(2);
  });

  it('sends unroutable errors without taskUUID, with a default or given code', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.authed();
    const sessionUUID = await authenticate(await harness.client());
    expect(simulator.faults.sendUnroutableError()).toBe(2);
    expect(await client.nextFrame(1)).toEqual({ errors: [{ code: 'internalServerError', message: expect.any(String) }] });
    expect(simulator.faults.sendUnroutableError({ sessionUUID, code: 'serviceUnavailable', message: 'down' })).toBe(1);
    await sleep(50);
    expect(client.frames).toHaveLength(2);
    expect(simulator.faults.events().map((event) => event.code)).toEqual(['internalServerError', 'internalServerError', 'serviceUnavailable']);
  });

  it('skips frozen sockets when sending garbage or unroutable errors', async () => {
    const simulator = await harness.start({ media: false });
    await harness.authed();
    simulator.faults.freeze();
    expect(simulator.faults.sendGarbage()).toBe(0);
    expect(simulator.faults.sendUnroutableError()).toBe(0);
  });

  it('duplicates the next result frames, live and on resume replay, then stops', async () => {
    const simulator = await harness.start({ imageLatencyMs: 100, media: false });
    const client = await harness.client();
    const sessionUUID = await authenticate(client);
    simulator.faults.duplicateResults(1);
    const twice = imageTask();
    client.send([twice]);
    await client.results(String(twice['taskUUID']), 2);
    expect(client.frames[1]).toEqual(client.frames[2]);

    const single = imageTask();
    client.send([single]);
    await client.results(String(single['taskUUID']));
    await sleep(150);
    expect(client.itemsFor(String(single['taskUUID'])).data).toHaveLength(1);

    // A result produced while no socket is attached is replayed twice.
    const id = await submit(client);
    simulator.faults.drop();
    await client.closed;
    await sleep(200);
    simulator.faults.duplicateResults(1);
    const second = await harness.client();
    await authenticate(second, 'test-key', sessionUUID);
    const { data } = await second.results(id, 2);
    expect(data).toHaveLength(2);
    expect(data[0]).toEqual(data[1]);
    expect(simulator.faults.counts()).toMatchObject({ duplicate: 2, drop: 1 });
  });

  it('does not duplicate frames that name no task (auth replies, pongs)', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.duplicateResults(1);
    const client = await harness.authed();
    client.send(ping);
    await client.nextFrame(1);
    await sleep(50);
    expect(client.frames).toHaveLength(2);
    expect(simulator.faults.counts().duplicate).toBe(0);
  });

  it('answers protocol-level pings while not frozen', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    client.socket.ping();
    await once(client.socket, 'pong');
  });
});
