import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/** Thirty days: longer than the 2^31 - 1 ms a Node timer can hold, as "never" often is written. */
const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/**
 * Node runs a timer longer than 2^31 - 1 ms after 1 ms. A pause of a few ms lets such a timer fire
 * (timers fire in the order they expire); with the delay honoured nothing fires.
 */
const letOverflowedTimersFire = () => sleep(20);

describe('simulator: delays longer than a Node timer can hold', () => {
  const harness = useSimulator();

  it('keeps a socket open with idleTimeoutMs of thirty days instead of closing it at once', async () => {
    await harness.start({ media: false, idleTimeoutMs: THIRTY_DAYS_MS });
    const client = await harness.client();
    await letOverflowedTimersFire();
    // ping works before authentication: the socket's own idle clock is all that is tested.
    client.send([{ taskType: 'ping' }]);
    const outcome = await Promise.race([
      client.until(() => (client.frames.some((frame) => frame.data?.[0]?.pong === true) ? 'pong' : undefined)),
      client.closed.then(({ code, reason }) => `closed ${code} ${reason}`),
    ]);
    expect(outcome).toBe('pong');
  });

  it('keeps a detached session for resume with sessionBufferMs of thirty days', async () => {
    const simulator = await harness.start({ media: false, sessionBufferMs: THIRTY_DAYS_MS });
    const first = await harness.client();
    first.send([{ taskType: 'authentication', apiKey: 'test-key' }]);
    const sessionUUID = await first.until(() => first.frames[0]?.data?.[0]?.connectionSessionUUID as string | undefined);
    await first.close();
    await expect.poll(() => simulator.stats().openSockets).toBe(0);
    await letOverflowedTimersFire();
    const second = await harness.client();
    second.send([{ taskType: 'authentication', apiKey: 'test-key', connectionSessionUUID: sessionUUID }]);
    expect(await second.until(() => second.frames[0]?.data?.[0]?.connectionSessionUUID)).toBe(sessionUUID);
  });
});
