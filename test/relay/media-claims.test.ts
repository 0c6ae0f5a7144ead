import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OwnerClaim, RelayOptions } from 'runware-rx/relay';
import type { RawClient } from '../simulator/support/raw-client.js';
import { authenticate } from '../simulator/support/raw-client.js';
import type { RelayServer, SpyStore } from './support.js';
import { answerFor, IMAGE, rawBrowser, realKeySimulator, relayServer, spyStore } from './support.js';

/*
 * The media a result produced are claimed for its user in the store as the result goes to the
 * page, without waiting for the store: the page is not kept waiting for a slow one. Until the
 * store has taken the claim, the relay holds it in memory, and its checks count it: the user may
 * use the media at once (also with `unclaimedInputs: 'refuse'`), and no other user may. A closing
 * relay waits for those claims as for the sessions, at most `closeTimeout`.
 */

const ALICE = 'alice-session-token';
const BOB = 'bob-session-token';

/**
 * A relay whose store takes media claims without ever answering (a store that hangs, or is very
 * slow); closed after the test, it gives up on them after a short `closeTimeout`.
 */
async function slowClaims(options: Partial<RelayOptions> = {}): Promise<{ server: RelayServer; store: SpyStore }> {
  const sim = await realKeySimulator();
  const store = spyStore();
  const server = await relayServer(sim, { store, closeTimeout: 50, ...options });
  store.stall('claim', ([, claim]) => (claim as OwnerClaim).kind === 'media');
  return { server, store };
}

/** Alice's image, delivered while the store has not taken its claim. */
async function aliceImage(server: RelayServer, store: SpyStore): Promise<{ alice: RawClient; imageUUID: string }> {
  const alice = await rawBrowser(server);
  await authenticate(alice, ALICE);
  const taskUUID = randomUUID();
  alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
  const { data } = await alice.results(taskUUID);
  const imageUUID = String(data[0]?.['imageUUID']);
  expect(store.calls.filter(({ method, args }) => method === 'claim' && args[0] === imageUUID)).toHaveLength(1);
  return { alice, imageUUID };
}

describe('the media claim of a result the store has not taken yet', () => {
  it("counts for its user: under unclaimedInputs 'refuse', Alice's next task may use her image at once", async () => {
    const { server, store } = await slowClaims({ unclaimedInputs: 'refuse' });
    const { alice, imageUUID } = await aliceImage(server, store);
    const taskUUID = randomUUID();
    const answer = await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, seedImage: imageUUID }]);
    expect(answer.errors).toEqual([]);
  });

  it("counts against every other user: under the default 'allow', Bob cannot use Alice's image before the store has her claim", async () => {
    const { server, store } = await slowClaims();
    const { imageUUID } = await aliceImage(server, store);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const taskUUID = randomUUID();
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, seedImage: imageUUID }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'mediaNotFound', taskUUID, parameter: 'seedImage' })]);
  });

  it('is waited for by close(), at most closeTimeout, which then names it as not handed over', async () => {
    const { server, store } = await slowClaims();
    await aliceImage(server, store);
    await server.relay.close();
    const warning = await server.logOf((record) => record.event === 'relay.closeIncomplete');
    expect(warning.detail).toContain('media claim of user=alice');
  });
});
