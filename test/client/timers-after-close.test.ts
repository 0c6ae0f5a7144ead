import { describe, expect, it } from 'vitest';
import { client, received, simulator } from '../support/simulator.js';
import { pause, waitFor } from '../support/wait-for.js';

const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/*
 * Once a connection has closed for good, a client keeps no timer of its own: a Node process that
 * is done must be able to exit, even if a request was still waiting when the connection went.
 */
describe('timers once the connection has closed', () => {
  it('are all gone when the connection gives up on a request that waits out a retry', async () => {
    const before = timers();
    const sim = await simulator({ media: false });
    const runware = client(sim, { retryDelay: 5000, maxReconnectAttempts: 0 });
    const states: string[] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    // The submission fails with a retryable server error: the request waits 5 s before it retries.
    sim.faults.serverErrorBurst(1);
    const abort = new AbortController();
    const request = runware
      .videoInference({ model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 }, { signal: abort.signal })
      .then(() => 'resolved', (error: { code?: string }) => error.code);
    await waitFor(() => received(sim, 'videoInference') > 0);
    // The server goes away for good; the link gives up (no reconnection allowed) and the
    // connection closes while the request still waits out its retry, its 20-minute deadline set:
    // the verdict ends the request too, which would otherwise dial again after its wait.
    await sim.close();
    await waitFor(() => states.includes('closed'));
    expect(await request).toBe('connection');
    abort.abort();
    await pause(10);
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
