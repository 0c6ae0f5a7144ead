import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { answerFor, rawBrowser, realKeySimulator, relayServer, VIDEO } from './support.js';

/*
 * Until the server's first answer to a fresh submission, the relay does not know the taskUUID is
 * the user's (it may be someone else's task under a lost claim), so the page's polls of it wait.
 * When that answer does not come, the wait has a bound: the relay asks the server's archive, and
 * when that does not answer either, the page is told the relay cannot reach Runware.
 */

const ALICE = 'alice-session-token';

describe('a fresh submission whose first answer does not come', () => {
  it('has its poll answered once the archive shows the task is the one the relay sent', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 60_000 });
    const server = await relayServer(sim, { firstAnswerTimeout: 200 });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    sim.faults.dropAcks(1);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO }]);
    const answer = await answerFor(alice, taskUUID, [{ taskType: 'getResponse', taskUUID }]);
    expect(answer.errors).toEqual([]);
    expect(answer.data).toEqual([expect.objectContaining({ taskUUID, status: 'processing' })]);
  });

  it('ends with serviceUnavailable for the task when the archive does not answer either, and frees its slot', async () => {
    const upstream = await startHostileServer(politeAuth(() => undefined));
    try {
      const server = await relayServer(upstream, { firstAnswerTimeout: 200, authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
      const alice = await rawBrowser(server);
      await authenticate(alice, ALICE);
      const taskUUID = randomUUID();
      alice.send([{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO }]);
      const answer = await answerFor(alice, taskUUID, [{ taskType: 'getResponse', taskUUID }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable', taskUUID })]);
      // Its slot is free: the next task is not refused as one too many.
      const next = randomUUID();
      alice.send([{ taskType: 'videoInference', taskUUID: next, deliveryMethod: 'async', ...VIDEO }]);
      const second = await answerFor(alice, next, [{ taskType: 'getResponse', taskUUID: next }]);
      expect(second.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable', taskUUID: next })]);
      expect(upstream.received.filter((task) => task.taskUUID === next).map((task) => task.taskType)).toEqual(['videoInference', 'getTaskDetails']);
    } finally {
      await upstream.close();
    }
  });
});

describe('a fresh submission the server never answered', () => {
  it('is one the page may send again when the archive does not know it: serviceUnavailable, not taskNotFound', async () => {
    const upstream = await startHostileServer(
      politeAuth((task, socket) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'getTaskDetails') socket.send(JSON.stringify({ errors: [{ code: 'taskNotFound', message: 'No such task.', taskType, taskUUID }] }));
      }),
    );
    try {
      const server = await relayServer(upstream, { firstAnswerTimeout: 200 });
      const alice = await rawBrowser(server);
      await authenticate(alice, ALICE);
      const taskUUID = randomUUID();
      alice.send([{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO }]);
      const answer = await answerFor(alice, taskUUID, [{ taskType: 'getResponse', taskUUID }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable', taskUUID })]);
    } finally {
      await upstream.close();
    }
  });

  it('gives up its claim when it is forgotten idle: a later poll is not sent upstream as the user’s', async () => {
    const upstream = await startHostileServer(politeAuth(() => undefined));
    try {
      const server = await relayServer(upstream, { taskIdleTimeout: 200 });
      const alice = await rawBrowser(server);
      await authenticate(alice, ALICE);
      const taskUUID = randomUUID();
      alice.send([{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO }]);
      await server.logOf((record) => record.event === 'relay.settled' && record.detail.includes(taskUUID) && record.detail.includes('idle'));
      const answer = await answerFor(alice, taskUUID, [{ taskType: 'getResponse', taskUUID }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID })]);
      expect(upstream.received.filter((task) => task.taskType === 'getResponse')).toEqual([]);
    } finally {
      await upstream.close();
    }
  });
});
