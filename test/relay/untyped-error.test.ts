import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { answerFor, rawBrowser, relayServer, VIDEO } from './support.js';

/*
 * Servers often leave `taskType` off an error. Under a taskUUID that has a task and a look-up
 * of it (`getTaskDetails`) out at once, such an error answers the look-up, as the client's router
 * takes it: it must not end the task at the relay, and the page is told whose answer it is.
 */

const ALICE = 'alice-session-token';

describe('an error naming no taskType while a getTaskDetails of a running task waits', () => {
  it('answers the look-up, named getTaskDetails; the task keeps its in-flight slot', async () => {
    const upstream = await startHostileServer(
      politeAuth((task, socket) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'videoInference') socket.send(JSON.stringify({ data: [{ taskType, taskUUID }] }));
        if (taskType === 'getTaskDetails') socket.send(JSON.stringify({ errors: [{ code: 'taskNotFound', message: 'No details yet.', taskUUID }] }));
      }),
    );
    try {
      const server = await relayServer(upstream, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
      const alice = await rawBrowser(server);
      await authenticate(alice, ALICE);
      const taskUUID = randomUUID();
      await answerFor(alice, taskUUID, [{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO }]);
      const details = await answerFor(alice, taskUUID, [{ taskType: 'getTaskDetails', taskUUID }]);
      expect(details.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID, taskType: 'getTaskDetails' })]);
      // The video still runs at the server: a second one is one too many.
      const next = randomUUID();
      const second = await answerFor(alice, next, [{ taskType: 'videoInference', taskUUID: next, deliveryMethod: 'async', ...VIDEO }]);
      expect(second.errors).toEqual([expect.objectContaining({ code: 'inFlightRateLimitExceeded', taskUUID: next })]);
    } finally {
      await upstream.close();
    }
  });
});
