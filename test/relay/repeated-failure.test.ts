import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * A frame the server writes twice (a replay after a resume, a network that repeats) says nothing
 * new: a failed generation in it is one failure, not two, so a task of two results is not taken
 * for over while its other result is still to come.
 */

const ALICE = 'alice-session-token';

describe('a failed generation whose frame arrives twice', () => {
  it('counts once: the task’s other result still reaches the page, and its slot is held until then', async () => {
    const sim = await realKeySimulator({ framing: 'per-result' });
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    sim.faults.failNextItems(1);
    sim.faults.duplicateResults(1);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE, numberResults: 2 }]);
    // The failure (twice over), then the image the other generation made.
    const { data, errors } = await alice.until(() => {
      const items = alice.itemsFor(taskUUID);
      return items.data.length > 0 ? items : undefined;
    }, 10_000);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(new Set(errors.map((item) => item['code']))).toEqual(new Set(['timeoutProvider']));
    expect(data).toEqual([expect.objectContaining({ taskUUID, imageUUID: expect.any(String) as unknown })]);
    // Both generations in, the slot is free for the next task.
    const next = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID: next, ...IMAGE }]);
    const answer = await alice.results(next);
    expect(answer.errors).toEqual([]);
  });
});
