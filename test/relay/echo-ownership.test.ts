import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Item, RawClient } from '../simulator/support/raw-client.js';
import { authenticate } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer, spyStore } from './support.js';

/*
 * When the connection wrote a fresh claim's submission twice, the relay cannot know whether the
 * first write reached the server: if it never did, the conflict is about someone else's task.
 * Here Alice's finished image's claim is lost; Bob names its taskUUID, and the upstream socket is
 * replaced before the server read his submission (it was half-open): the re-send is the server's
 * first sight of it. The server's archive holds Alice's request, not Bob's: he gets taskNotFound.
 */

const ALICE = 'alice-session-token';
const BOB = 'bob-session-token';

async function answerFor(client: RawClient, taskUUID: string, tasks: unknown[]): Promise<{ data: Item[]; errors: Item[] }> {
  const before = client.itemsFor(taskUUID);
  client.send(tasks);
  return client.until(() => {
    const now = client.itemsFor(taskUUID);
    return now.data.length + now.errors.length > before.data.length + before.errors.length
      ? { data: now.data.slice(before.data.length), errors: now.errors.slice(before.errors.length) }
      : undefined;
  }, 10_000);
}

describe("a lost claim's taskUUID named by another user while the upstream socket is replaced", () => {
  it("still fails closed: Bob gets taskNotFound, never Alice's image", async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const server = await relayServer(sim, { store });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    const { data } = await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    const imageUUID = String(data[0]?.['imageUUID']);
    store.forget(taskUUID);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    // The relay's upstream socket goes half-open: what the relay writes now never reaches the server.
    expect(sim.faults.freeze()).toBe(1);
    const outBefore = server.logged.filter((record) => record.event === 'frame.out' && record.detail.includes(taskUUID)).length;
    // Bob has the taskUUID (leaked), not what Alice asked for.
    const answer = answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, positivePrompt: 'a fishing boat at dawn' }]);
    await server.logOf(() => server.logged.filter((record) => record.event === 'frame.out' && record.detail.includes(taskUUID)).length > outBefore);
    expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID)).toHaveLength(1);
    // The socket is replaced; the connection writes Bob's submission again, which the server now reads first.
    expect(sim.faults.drop()).toBe(1);
    const taken = await answer;
    expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID && task.taskType === 'imageInference')).toHaveLength(2);
    expect(taken).toEqual({ data: [], errors: [expect.objectContaining({ code: 'taskNotFound', taskUUID })] });
    expect(JSON.stringify(bob.frames)).not.toContain(imageUUID);
  });
});
