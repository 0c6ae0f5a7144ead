import { describe, expect, it } from 'vitest';
import type { TimerHandle, Timers } from '../../src/simulator/timers.js';
import { resolveWebhookOptions, retryDelay } from '../../src/simulator/webhook-options.js';
import { createWebhookSender } from '../../src/simulator/webhooks.js';
import { hookReceiver } from './support/hook-receiver.js';

/** Timers that only record what was asked; the test decides when each runs. */
const manualTimers = () => {
  const asked: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const timers: Timers = {
    after(ms, run) {
      asked.push({ ms, run, cancelled: false });
      return (asked.length - 1) as unknown as TimerHandle;
    },
    cancel(handle) {
      const entry = asked[handle as unknown as number];
      if (entry !== undefined) entry.cancelled = true;
    },
    cancelAll() {
      for (const entry of asked) entry.cancelled = true;
    },
  };
  return { timers, asked };
};

describe('simulator: the webhook retry schedule', () => {
  it('waits 250 ms doubling to 8 s, less up to half of each wait as jitter', () => {
    const options = resolveWebhookOptions();
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => retryDelay(retry, options, 0))).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect([1, 2, 6].map((retry) => retryDelay(retry, options, 0.999_999))).toEqual([expect.closeTo(125, 0), expect.closeTo(250, 0), expect.closeTo(4000, 0)]);
    expect(retryDelay(3, options, 0.5)).toBe(750);
  });

  it('defaults to 5 s per attempt and 8 attempts, and refuses nonsense', () => {
    expect(resolveWebhookOptions()).toEqual({ timeoutMs: 5000, attempts: 8, initialDelayMs: 250, maxDelayMs: 8000 });
    expect(() => resolveWebhookOptions({ attempts: 0 })).toThrow(/webhooks\.attempts/);
    expect(() => resolveWebhookOptions({ attempts: 1.5 })).toThrow(/webhooks\.attempts/);
    expect(() => resolveWebhookOptions({ timeoutMs: -1 })).toThrow(/webhooks\.timeoutMs/);
  });

  it('asks for each retry wait in turn, on its own timers, until the last attempt', async () => {
    const receiver = await hookReceiver(() => 500);
    const { timers, asked } = manualTimers();
    const sender = createWebhookSender({ options: resolveWebhookOptions({ attempts: 5, timeoutMs: 60_000 }), timers, log: () => {}, random: () => 0 });
    sender.send(receiver.url, { taskType: 'imageInference', taskUUID: 'x' });
    const retryWaits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await receiver.received(attempt);
      if (attempt === 5) break;
      // Wait for the answer to be read: then the retry wait is asked for.
      const retry = await new Promise<(typeof asked)[number]>((resolve, reject) => {
        let turns = 0;
        const check = () => {
          const found = asked.find((entry) => !entry.cancelled && entry.ms !== 60_000);
          if (found !== undefined) resolve(found);
          else if (++turns > 1_000_000) reject(new Error('no retry was scheduled'));
          else setImmediate(check);
        };
        check();
      });
      retry.cancelled = true;
      retryWaits.push(retry.ms);
      retry.run();
    }
    await sender.idle();
    expect(retryWaits).toEqual([250, 500, 1000, 2000]);
    expect(sender.deliveries()[0]).toEqual(expect.objectContaining({ state: 'failed', attempts: [500, 500, 500, 500, 500] }));
    // Every attempt's timeout was cleared once it was answered.
    expect(asked.filter((entry) => entry.ms === 60_000 && !entry.cancelled)).toEqual([]);
    sender.close();
  });
});
