import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * A page sends a finished task's taskUUID again (a client that did not see the answer, a retry).
 * The server answers conflictTaskUUID and runs nothing; the relay passes that on and holds no
 * in-flight slot for it.
 */

const ALICE = 'alice-session-token';

describe('a finished taskUUID sent again', () => {
  it('holds no in-flight slot once the server has said it has it: maxInFlight 1 takes the next task', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const first = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID: first, ...IMAGE }]);
    expect((await alice.results(first)).data).toHaveLength(1);
    alice.send([{ taskType: 'imageInference', taskUUID: first, ...IMAGE }]);
    const again = await alice.results(first, 2);
    expect(again.errors).toEqual([expect.objectContaining({ code: 'conflictTaskUUID', taskUUID: first })]);
    const next = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID: next, ...IMAGE }]);
    const answer = await alice.results(next);
    expect(answer.errors).toEqual([]);
    expect(answer.data).toHaveLength(1);
  });
});
