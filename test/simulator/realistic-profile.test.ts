import { describe, expect, it, vi } from 'vitest';
import { createLatencyModel } from '../../src/simulator/latency.js';
import { resolveOptions } from '../../src/simulator/options.js';
import { createSession, type Session } from '../../src/simulator/session.js';
import { useSimulator } from './support/harness.js';
import { allSucceeded, authenticate, imageTask, pollUntil, videoTask, type Frame, type RawClient } from './support/raw-client.js';

const resultItems = (frames: readonly Frame[]) => frames.flatMap((frame) => (frame.data ?? []).filter((item) => 'imageUUID' in item));
const resultFrames = (frames: readonly Frame[]) => frames.filter((frame) => (frame.data ?? []).some((item) => 'imageUUID' in item));

/** Waits for `count` image results on a client. */
const resultsArrived = (client: RawClient, count: number) =>
  client.until(() => (resultItems(client.frames).length >= count ? true : undefined), 10_000);

const aSession = createSession;

describe('simulator: realistic profile', () => {
  const harness = useSimulator();

  it('sends every result as a frame of its own, where the default profile shares one frame per task and turn, and mixed framing one per turn', async () => {
    for (const [profile, framing] of [['default', undefined], ['realistic', undefined], ['default', 'mixed']] as const) {
      await harness.start({ profile, media: false, imageLatencyMs: 0, ...(framing === undefined ? {} : { framing }) });
      const client = await harness.authed();
      const tasks = [imageTask({ numberResults: 3 }), imageTask({ numberResults: 3 })];
      client.send(tasks);
      await resultsArrived(client, 6);
      const frames = resultFrames(client.frames);
      const taskUUIDsOf = (frame: Frame) => [...new Set((frame.data ?? []).map((item) => item['taskUUID']))];
      if (framing === 'mixed') expect(frames.map(taskUUIDsOf)).toEqual([tasks.map((task) => task['taskUUID'])]);
      else if (profile === 'default') expect(frames.map(taskUUIDsOf)).toEqual(tasks.map((task) => [task['taskUUID']]));
      else expect(frames.map((frame) => frame.data!.length)).toEqual([1, 1, 1, 1, 1, 1]);
      await harness.simulator.close();
    }
  });

  it('answers a ping in a frame of its own, in every framing, even beside results of the same turn', async () => {
    for (const framing of ['batched', 'mixed', 'per-result'] as const) {
      await harness.start({ framing, media: false, imageLatencyMs: 0 });
      const client = await harness.authed();
      const task = imageTask({ numberResults: 2 });
      client.send([task, { taskType: 'ping', ping: true }]);
      await resultsArrived(client, 2);
      const pongs = client.frames.filter((frame) => (frame.data ?? []).some((item) => item['pong'] === true));
      expect(pongs).toEqual([{ data: [{ taskType: 'ping', pong: true }] }]);
      await harness.simulator.close();
    }
  });

  it('finishes the generations of one task at different times, in an order of their own', async () => {
    await harness.start({ profile: 'realistic', media: false });
    const client = await harness.authed();
    const task = imageTask({ numberResults: 20, seed: 100 });
    client.send([task]);
    const { data } = await client.results(String(task['taskUUID']), 20);
    const seeds = data.map((item) => Number(item['seed']));
    expect([...seeds].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => 100 + index));
    // Drawn per generation: the arrival order is not the seed order (for this seed, and for all
    // but one in 20! orders).
    expect(seeds).not.toEqual([...seeds].sort((a, b) => a - b));
    expect(resultFrames(client.frames)).toHaveLength(20);
  });

  it('sends the results in the order of the latencies drawn for them from the seed', async () => {
    const { latencySpread, generationSpread } = resolveOptions({ profile: 'realistic' });
    const orders: number[][] = [];
    // Seeds whose six draws lie ≥ 10 ms apart, so timer granularity cannot swap two results.
    for (const latencySeed of [1, 9]) {
      const delays = createLatencyModel({ latencySpread, generationSpread, seed: latencySeed }).delays(aSession(), 200, 6);
      const sorted = [...delays].sort((a, b) => a - b);
      expect(Math.min(...sorted.slice(1).map((delay, index) => delay - sorted[index]!))).toBeGreaterThanOrEqual(10);
      const expected = delays.map((delay, index) => ({ delay, seed: 1 + index })).sort((a, b) => a.delay - b.delay).map(({ seed }) => seed);

      await harness.start({ profile: 'realistic', media: false, imageLatencyMs: 200, latencySeed });
      const client = await harness.authed();
      client.send([imageTask({ numberResults: 6, seed: 1 })]);
      await resultsArrived(client, 6);
      orders.push(resultItems(client.frames).map((item) => Number(item['seed'])));
      expect(orders.at(-1)).toEqual(expected);
      await harness.simulator.close();
    }
    expect(orders[0]).not.toEqual(orders[1]);
  });

  it('answers getResponse cumulatively in a stable order while the generations finish one by one, without progress', async () => {
    // For seed 1 the four generations finish between 1.7× and 2.5× this median: a window of ~790 ms.
    await harness.start({ profile: 'realistic', media: false, videoReadyAfterMs: 1000 });
    const client = await harness.authed();
    const task = videoTask({ numberResults: 4, seed: 10 });
    const id = String(task['taskUUID']);
    client.send([task]);
    await client.results(id);
    const replies = await pollUntil(client, id, allSucceeded(4), { intervalMs: 10 });
    for (const reply of replies) {
      // One item per generation, always in generation (seed) order, whatever order they finish in.
      expect(reply.data).toHaveLength(4);
      const seeds = reply.data!.map((item) => item['seed']);
      reply.data!.forEach((item, index) => {
        if (item['status'] === 'success') expect(seeds[index]).toBe(10 + index);
        else expect(item).toEqual({ taskType: 'videoInference', taskUUID: id, status: 'processing' });
      });
    }
    // At least one answer showed some generations done and others still running.
    const succeeded = replies.map((reply) => reply.data!.filter((item) => item['status'] === 'success').length);
    expect(succeeded.some((count) => count > 0 && count < 4)).toBe(true);
    expect(succeeded).toEqual([...succeeded].sort((a, b) => a - b));
  });

  it('reports progress again when asked', async () => {
    await harness.start({ profile: 'realistic', progress: true, media: false, videoReadyAfterMs: 60_000 });
    const client = await harness.authed();
    const task = videoTask();
    const id = String(task['taskUUID']);
    client.send([task]);
    await client.results(id);
    const [reply] = await pollUntil(client, id, () => true);
    expect(reply!.data).toEqual([{ taskType: 'videoInference', taskUUID: id, status: 'processing', progress: expect.any(Number) }]);
  });

  it('replays results produced while the socket was away on resume, one frame each, each once', async () => {
    await harness.start({ profile: 'realistic', media: false, imageLatencyMs: 100 });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    const tasks = [imageTask({ numberResults: 3 }), imageTask({ numberResults: 2 })];
    first.send(tasks);
    await vi.waitFor(() => expect(harness.simulator.stats().tasksReceived['imageInference']).toBe(2));
    harness.simulator.faults.drop({ closeFrame: false });
    await first.closed;
    const lost = resultItems(first.frames).length;
    // Another session watches the tasks finish (getResponse works for any task), so the results
    // are produced, and kept for the session, before it resumes.
    const watcher = await harness.authed();
    await pollUntil(watcher, String(tasks[0]!['taskUUID']), allSucceeded(3));
    await pollUntil(watcher, String(tasks[1]!['taskUUID']), allSucceeded(2));
    const second = await harness.client();
    await authenticate(second, 'test-key', sessionUUID);
    await resultsArrived(second, 5 - lost);
    const replayed = resultFrames(second.frames);
    expect(replayed.map((frame) => frame.data!.length)).toEqual(new Array(5 - lost).fill(1));
    const uuids = [...resultItems(first.frames), ...resultItems(second.frames)].map((item) => item['imageUUID']);
    expect(new Set(uuids).size).toBe(5);
    expect(uuids).toHaveLength(5);
  });

  it('lets each option override its profile', () => {
    expect(resolveOptions({ profile: 'realistic' })).toMatchObject({
      framing: 'per-result',
      latencySpread: 0.5,
      generationSpread: 0.3,
      progress: false,
      imageLatencyMs: 25,
      videoReadyAfterMs: 3000,
    });
    expect(resolveOptions()).toMatchObject({ profile: 'default', framing: 'batched', latencySpread: 0, generationSpread: 0, progress: true, imageLatencyMs: 0 });
    expect(resolveOptions({ profile: 'realistic', framing: 'batched', progress: true, imageLatencyMs: 5 })).toMatchObject({
      framing: 'batched',
      progress: true,
      imageLatencyMs: 5,
      latencySpread: 0.5,
    });
  });

  it('names a bad profile option', () => {
    expect(() => resolveOptions({ profile: 'fast' as never })).toThrow(/profile must be one of default, realistic/);
    expect(() => resolveOptions({ framing: 'bursts' as never })).toThrow(/framing/);
    expect(() => resolveOptions({ latencySpread: 2.5 })).toThrow(/latencySpread/);
    expect(() => resolveOptions({ generationSpread: -1 })).toThrow(/generationSpread/);
    expect(() => resolveOptions({ latencySeed: -1 })).toThrow(/latencySeed/);
  });
});

describe('simulator: latency model', () => {
  it('draws nothing and delays by the median when both spreads are 0', () => {
    const session = aSession();
    expect(createLatencyModel({ latencySpread: 0, generationSpread: 0, seed: 1 }).delays(session, 40, 3)).toEqual([40, 40, 40]);
    expect(session.timing).toBeUndefined();
  });

  it('is log-normal around the median, clamped to 4 σ', () => {
    const model = createLatencyModel({ latencySpread: 0.5, generationSpread: 0, seed: 3 });
    const session = aSession();
    const delays = Array.from({ length: 20_000 }, () => model.delays(session, 100, 1)[0]!).sort((a, b) => a - b);
    const quantile = (q: number) => delays[Math.floor(q * delays.length)]!;
    expect(quantile(0.5)).toBeGreaterThanOrEqual(95);
    expect(quantile(0.5)).toBeLessThanOrEqual(105);
    // exp(±1.645 × 0.5) = 0.44, 2.27: the 5th and 95th percentiles.
    expect(quantile(0.05)).toBeGreaterThanOrEqual(40);
    expect(quantile(0.05)).toBeLessThanOrEqual(48);
    expect(quantile(0.95)).toBeGreaterThanOrEqual(210);
    expect(quantile(0.95)).toBeLessThanOrEqual(245);
    expect(delays[0]!).toBeGreaterThanOrEqual(Math.floor(100 * Math.exp(-2)));
    expect(delays.at(-1)!).toBeLessThanOrEqual(Math.ceil(100 * model.maxFactor));
  });

  it('gives every session the same sequence from the seed, and another seed another sequence', () => {
    const model = createLatencyModel({ latencySpread: 0.5, generationSpread: 0.3, seed: 9 });
    const sequence = (target: ReturnType<typeof createLatencyModel>, session: Session) =>
      Array.from({ length: 10 }, () => target.delays(session, 50, 3));
    const a = sequence(model, aSession());
    expect(sequence(model, aSession())).toEqual(a);
    expect(sequence(createLatencyModel({ latencySpread: 0.5, generationSpread: 0.3, seed: 10 }), aSession())).not.toEqual(a);
    // Generations of one task differ from each other.
    expect(a.some((generations) => new Set(generations).size > 1)).toBe(true);
  });
});
