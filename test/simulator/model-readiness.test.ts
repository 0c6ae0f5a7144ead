import { describe, expect, it } from 'vitest';
import { startSimulator } from 'runware-rx/simulator';
import { createModelReadiness } from '../../src/simulator/model-readiness.js';

/*
 * Per-model readiness: a benchmark of polling needs tasks whose ready times the client cannot
 * know in advance, spread around each model's typical time, reproducible from a seed.
 */

describe('modelReadiness', () => {
  it('draws each task of a listed model uniformly over typical × (1 ± spread), from a stream per model', () => {
    const readiness = createModelReadiness({ models: { 'klingai:5@3': 2000, 'google:3@3': 30_000 }, spread: 0.1, seed: 7 });
    const fast = Array.from({ length: 2000 }, () => readiness.delays('klingai:5@3', 1)![0]!);
    expect(Math.min(...fast)).toBeGreaterThanOrEqual(1800);
    expect(Math.max(...fast)).toBeLessThanOrEqual(2200);
    // Uniform: each fifth of the range holds about a fifth of the draws.
    for (let fifth = 0; fifth < 5; fifth += 1) {
      const share = fast.filter((ms) => ms >= 1800 + fifth * 80 && ms < 1880 + fifth * 80).length / fast.length;
      expect(share).toBeGreaterThan(0.16);
      expect(share).toBeLessThan(0.24);
    }
    const slow = readiness.delays('google:3@3', 3)!;
    expect(slow).toHaveLength(3);
    expect(new Set(slow).size).toBe(1);
    expect(readiness.delays('minimax:3@1', 1)).toBeUndefined();
  });

  it('gives the same times for the same seed and order of tasks, whatever other models draw', () => {
    const a = createModelReadiness({ models: { m: 1000, n: 5000 }, seed: 3 });
    const b = createModelReadiness({ models: { m: 1000, n: 5000 }, seed: 3 });
    const fromA = [a.delays('m', 1), a.delays('n', 1), a.delays('m', 1)];
    const fromB = [b.delays('m', 1), b.delays('m', 1)];
    expect([fromA[0], fromA[2]]).toEqual(fromB);
    expect(createModelReadiness({ models: { m: 1000 }, seed: 4 }).delays('m', 1)).not.toEqual(fromA[0]);
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
