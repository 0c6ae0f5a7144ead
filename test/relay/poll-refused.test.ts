import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { rawBrowser, realKeySimulator, relayServer, VIDEO } from './support.js';

/*
 * A poll of a running task is answered with a transient error (the API rate-limits polls too):
 * the task runs on at the server, and so does its in-flight slot at the relay.
 */

const ALICE = 'alice-session-token';

describe('a poll refused for a while', () => {
  it('does not free the in-flight slot of a video still running: maxInFlight 1 still refuses a second video', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 60_000 });
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const first = randomUUID();
    alice.send([{ taskType: 'videoInference', taskUUID: first, ...VIDEO }]);
    expect((await alice.results(first)).errors).toEqual([]);
    sim.faults.rateLimitBurst(1);
    alice.send([{ taskType: 'getResponse', taskUUID: first }]);
    const polled = await alice.results(first, 2);
    expect(polled.errors).toEqual([expect.objectContaining({ code: 'rateLimitExceeded', taskUUID: first })]);
    // The first video runs on at the server (60 s): a second one is over the limit.
    const second = randomUUID();
    alice.send([{ taskType: 'videoInference', taskUUID: second, ...VIDEO }]);
    const answer = await alice.results(second);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'inFlightRateLimitExceeded', taskUUID: second })]);
  });
});
