import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * Failed generations have no output UUID and alike ones say the same (two provider timeouts):
 * the relay counts each failure, in frames of their own, so the task ends and frees its slot.
 */

const ALICE = 'alice-session-token';

describe('two generations of a task failing alike, each in a frame of its own', () => {
  it('end the task: its in-flight slot is free for the next task', async () => {
    const sim = await realKeySimulator({ framing: 'per-result' });
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    sim.faults.failNextItems(2);
    const first = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID: first, ...IMAGE, numberResults: 2 }]);
    const failed = await alice.results(first, 2);
    expect(failed.errors.map((item) => item['code'])).toEqual(['timeoutProvider', 'timeoutProvider']);
    // Both errors reached the page in two frames; the task has nothing more to come.
    const next = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID: next, ...IMAGE }]);
    const answer = await alice.results(next);
    expect(answer.errors).toEqual([]);
    expect(answer.data).toHaveLength(1);
  });
});
