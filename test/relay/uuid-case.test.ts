import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { answerFor, IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * A taskUUID is one text for the relay: ownership and routing both go by it. The SDKs generate
 * lower-case UUIDs and a server echoes what it was sent, so a taskUUID spelt in capitals would be
 * the same task to the relay's store but another one to the route its answers take: it is refused.
 */

const ALICE = 'alice-session-token';

describe('a taskUUID spelt in capitals', () => {
  it('is refused for a submission as invalidTaskUUID, and nothing of it goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const shouted = randomUUID().toUpperCase();
    const answer = await answerFor(alice, shouted, [{ taskType: 'imageInference', taskUUID: shouted, ...IMAGE }]);
    expect(answer.data).toEqual([]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'invalidTaskUUID', taskUUID: shouted, parameter: 'taskUUID', taskType: 'imageInference' })]);
    expect(sim.receivedTasks().filter((task) => String(task.taskUUID).toLowerCase() === shouted.toLowerCase())).toEqual([]);
  });

  it('is refused for a look-up of the user’s own task, which is not polled under another spelling', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    await alice.results(taskUUID);
    const shouted = taskUUID.toUpperCase();
    for (const taskType of ['getResponse', 'getTaskDetails']) {
      const answer = await answerFor(alice, shouted, [{ taskType, taskUUID: shouted }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'invalidTaskUUID', taskUUID: shouted, taskType })]);
    }
    expect(sim.receivedTasks().filter((task) => task.taskType === 'getResponse' || task.taskType === 'getTaskDetails')).toEqual([]);
  });
});
