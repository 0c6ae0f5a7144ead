import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { rawBrowser, relayServer, spyStore } from './support.js';

/*
 * A task Runware turns away at once gives its taskUUID's claim back (refused-task-claims.test.ts).
 * But when the relay's connection wrote the submission twice (its socket dropped before the first
 * answer), a refusal answers the re-send only: the first write may have been taken.
 */

/**
 * A server that takes the task on the first socket and drops that socket before its answer;
 * the relay's connection re-sends it on the next socket, where the busy key is turned away
 * (rate limit). The task was taken the first time: it runs, and getResponse has it.
 */
async function droppingServer() {
  const taken = new Set<string>();
  const server = await startHostileServer(
    politeAuth(({ taskType, taskUUID = '' }, socket, { connections }) => {
      if (taskType === 'getResponse') socket.send(JSON.stringify(taken.has(taskUUID) ? { data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] } : { errors: [{ code: 'taskNotFound', taskUUID, taskType }] }));
      else if (connections === 1) {
        taken.add(taskUUID);
        socket.terminate();
      } else socket.send(JSON.stringify({ errors: [{ code: 'rateLimitExceeded', message: 'too many requests', taskType, taskUUID }] }));
    }),
  );
  return Object.assign(server, { taken });
}

let upstream: Awaited<ReturnType<typeof droppingServer>> | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('a re-send turned away while the first write was taken', () => {
  it("keeps the taskUUID the user's: the refusal answers the connection's re-send, not the task the server runs", async () => {
    upstream = await droppingServer();
    const store = spyStore();
    const server = await relayServer(upstream, { store });
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 }]);
    await alice.results(taskUUID);
    // The premise: the server has the task, running under the app's key.
    expect(upstream.taken.has(taskUUID)).toBe(true);
    const before = alice.frames.length;
    alice.send([{ taskType: 'getResponse', taskUUID }]);
    await alice.until(() => (alice.frames.length > before ? true : undefined));
    expect(alice.frames.slice(before)).toEqual([{ data: [expect.objectContaining({ taskUUID, status: 'processing' })] }]);
    expect((await store.holderOf(taskUUID, 'task'))?.userId).toBe('alice');
  });
});
