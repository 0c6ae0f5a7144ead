import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { answerFor, IMAGE, rawBrowser, realKeySimulator, relayServer, spyStore } from './support.js';

/*
 * Every submission claims its taskUUID in the store for `ownershipTtlMs` (a day), and the store's
 * claims are bounded for all users together (`maxClaims`). A task Runware refuses at once (an
 * unknown model) ran nothing and costs nothing: its claim goes back, so that refusals, which no
 * in-flight limit holds back, cannot fill the store for everyone.
 */

const TOKENS = { 'alice-session-token': { userId: 'alice', maxInFlight: 4 }, 'bob-session-token': { userId: 'bob' } } as const;

describe('the claim of a task Runware refused', () => {
  it('goes back to the store, so that one user refused again and again leaves room for everyone else', async () => {
    const sim = await realKeySimulator();
    const store = spyStore({ maxClaims: 20 });
    const server = await relayServer(sim, { store, authorize: ({ token }) => TOKENS[token as keyof typeof TOKENS] });
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    for (let index = 0; index < 25; index += 1) {
      const taskUUID = randomUUID();
      const refused = await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, model: 'nonexistent:999@999' }]);
      expect(refused.errors).toEqual([expect.objectContaining({ code: 'modelNotFound' })]);
    }
    const bob = await rawBrowser(server);
    await authenticate(bob, 'bob-session-token');
    const taskUUID = randomUUID();
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    expect(answer.errors).toEqual([]);
    expect(answer.data).toEqual([expect.objectContaining({ imageUUID: expect.any(String) })]);
  });
});
