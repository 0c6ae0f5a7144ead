import { describe, expect, it } from 'vitest';
import { startSimulator } from 'runware-rx/simulator';
import { randomUUID } from 'node:crypto';
import { createModelReadiness, readyAfter } from '../../src/simulator/model-readiness.js';

/*
 * Per-model readiness: a benchmark of polling needs tasks whose ready times the client cannot
 * know in advance, spread around each model's typical time, reproducible from a seed.
 */

describe('modelReadiness', () => {
  it('draws each task of a listed model uniformly over typical × (1 ± spread), afresh for every taskUUID', () => {
    const readiness = createModelReadiness({ models: { 'klingai:5@3': 2000, 'google:3@3': 30_000 }, spread: 0.1, seed: 7 });
    const fast = Array.from({ length: 2000 }, () => readiness.delays('klingai:5@3', randomUUID(), 1)![0]!);
    expect(Math.min(...fast)).toBeGreaterThanOrEqual(1800);
    expect(Math.max(...fast)).toBeLessThanOrEqual(2200);
    // Uniform: each fifth of the range holds about a fifth of the draws.
    for (let fifth = 0; fifth < 5; fifth += 1) {
      const share = fast.filter((ms) => ms >= 1800 + fifth * 80 && ms < 1880 + fifth * 80).length / fast.length;
      expect(share).toBeGreaterThan(0.16);
      expect(share).toBeLessThan(0.24);
    }
    const slow = readiness.delays('google:3@3', randomUUID(), 3)!;
    expect(slow).toHaveLength(3);
    expect(new Set(slow).size).toBe(1);
    expect(readiness.delays('minimax:3@1', randomUUID(), 1)).toBeUndefined();
  });

  it('is a function of the seed, the model and the taskUUID: whoever knows the seed can tell when a task was ready', () => {
    const options = { models: { m: 1000, n: 5000 }, seed: 3 };
    const taskUUID = randomUUID();
    const ready = readyAfter(options, 'm', taskUUID);
    expect(createModelReadiness(options).delays('m', taskUUID, 1)).toEqual([ready]);
    expect(readyAfter(options, 'm', taskUUID)).toBe(ready);
    const others = new Set(Array.from({ length: 20 }, () => readyAfter({ ...options, seed: 4 }, 'm', taskUUID)));
    expect(others.size).toBe(1);
    expect(Array.from({ length: 50 }, (_, seed) => readyAfter({ ...options, seed }, 'm', taskUUID)).some((ms) => ms !== ready)).toBe(true);
  });

  it('refuses nonsense, naming the option', () => {
    expect(() => createModelReadiness({ models: { m: -1 } })).toThrow(/modelReadiness.models\["m"\]/);
    expect(() => createModelReadiness({ models: { m: 1000 }, spread: 1 })).toThrow(/modelReadiness.spread/);
    expect(() => createModelReadiness({ models: { m: 1000 }, seed: 1.5 })).toThrow(/modelReadiness.seed/);
  });

  it('sets when a video of a listed model is ready on a running simulator; others keep videoReadyAfterMs', async () => {
    const simulator = await startSimulator({ media: false, videoReadyAfterMs: 600_000, modelReadiness: { models: { 'klingai:5@3': 300 }, spread: 0 } });
    try {
      const { default: WebSocket } = await import('ws');
      const socket = new WebSocket(simulator.url);
      const exchange = (tasks: object[]) =>
        new Promise<{ data?: { taskUUID?: string; status?: string }[] }>((resolve) => {
          socket.once('message', (data) => resolve(JSON.parse(String(data))));
          socket.send(JSON.stringify(tasks));
        });
      await new Promise((resolve) => socket.once('open', resolve));
      await exchange([{ taskType: 'authentication', apiKey: 'key' }]);
      const listed = '0b5e6f2c-8c2f-4d53-9a5e-7c1c2f3e4d5a';
      const other = '1c6f7a3d-9d3a-4e64-8b6f-8d2d3a4f5e6b';
      await exchange([{ taskType: 'videoInference', taskUUID: listed, model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 }]);
      await exchange([{ taskType: 'videoInference', taskUUID: other, model: 'minimax:3@1', positivePrompt: 'waves', duration: 6 }]);
      const statusOf = async (taskUUID: string) => (await exchange([{ taskType: 'getResponse', taskUUID }])).data?.[0]?.status;
      let status = await statusOf(listed);
      for (let poll = 0; poll < 200 && status !== 'success'; poll += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        status = await statusOf(listed);
      }
      expect(status).toBe('success');
      // The model not listed still runs: its time is videoReadyAfterMs (10 minutes here).
      expect(await statusOf(other)).toBe('processing');
      socket.close();
    } finally {
      await simulator.close();
    }
  });
});
