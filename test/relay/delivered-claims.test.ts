import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TaskLine } from '../../src/connection/connection.js';
import type { RouteListener } from '../../src/connection/route.js';
import { ProtocolError } from '../../src/errors/protocol-error.js';
import type { OutboundTask } from '../../src/protocol/frames.js';
import { RelayedTask } from '../../src/relay/relayed-task.js';
import type { TaskHost } from '../../src/relay/task-host.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { authenticate } from '../simulator/support/raw-client.js';
import { answerFor, IMAGE, rawBrowser, relayServer } from './support.js';

/*
 * Whatever path a result takes to its page (the task's own progress, the echo of the relay's
 * re-send, the answer to a task its owner sent again after the relay forgot it, an item the
 * relay could not read), the media it names are claimed for the task's user as it is delivered:
 * a user's outputs are theirs to use, and nobody else's.
 */

const T = '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b';
const IMAGE_UUID = '0d6c9a70-5f1e-4b8a-9c3d-2e4f6a8b0c1d';
const SUBMISSION: OutboundTask = { taskType: 'imageInference', taskUUID: T, model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };
const RESULT = { taskType: 'imageInference', taskUUID: T, imageUUID: IMAGE_UUID, imageURL: `https://im.example/${IMAGE_UUID}.png` };
const CONFLICT = { code: 'conflictTaskUUID', message: 'taken', taskUUID: T, taskType: 'imageInference' };

/** A task of Alice's the store already knew as hers (no fresh claim), its submission written `writes` times. */
function aliceTask(writes: number) {
  const delivered: unknown[] = [];
  const claimed: { userId: string; uuids: readonly string[] }[] = [];
  let listener: RouteListener | undefined;
  const line: TaskLine = { send: () => undefined, awaitMore: () => undefined, leave: () => undefined };
  const host: TaskHost = {
    join: (_taskUUID, joined) => ((listener = joined), line),
    deliver: (_session, data) => void delivered.push(...data),
    claimOutputs: (userId, uuids) => void claimed.push({ userId, uuids }),
    disown: () => undefined,
    release: () => undefined,
    settled: () => undefined,
    idleTimeout: Infinity,
    firstAnswerTimeout: Infinity,
  };
  const task = new RelayedTask(host, { taskUUID: T, userId: 'alice', taskType: 'imageInference', expected: 1 }, true);
  task.watch('session-1');
  task.submit(SUBMISSION);
  for (let written = 0; written < writes; written += 1) listener!.sent();
  return { task, delivered, claimed };
}

describe('a result delivered to its page', () => {
  it.each([
    ['as the task’s own answer', 1, (task: RelayedTask) => task.reply([RESULT], [])],
    ['with the conflict that answers the relay’s own re-send (an echo)', 2, (task: RelayedTask) => task.reply([RESULT], [CONFLICT])],
    ['with the conflict that answers a task sent again after the relay forgot it', 1, (task: RelayedTask) => task.reply([RESULT], [CONFLICT])],
    ['as an item the relay could not read, which the page gets as it came', 1, (task: RelayedTask) => task.fail(new ProtocolError('unreadable', { ...RESULT, taskType: 7 }, { taskUUID: T }))],
  ])('%s has its media claimed for the task’s user', (_path, writes, answer) => {
    const scene = aliceTask(writes);
    answer(scene.task);
    expect(scene.delivered).toEqual([expect.objectContaining({ imageUUID: IMAGE_UUID })]);
    expect(scene.claimed).toEqual([{ userId: 'alice', uuids: [IMAGE_UUID] }]);
  });
});

describe('a task sent again after the relay forgot it, answered with a result beside the conflict', () => {
  it("gives Alice an image that is hers: under unclaimedInputs 'refuse', her next task may use it", async () => {
    // A server that answers a taskUUID it has seen with the conflict and a result of it in one frame.
    const seen = new Set<string>();
    const upstream = await startHostileServer(
      politeAuth((task, socket) => {
        const taskUUID = String(task.taskUUID);
        const result = { taskType: task.taskType, taskUUID, imageUUID: randomUUID(), imageURL: 'https://im.example/image.png' };
        if (seen.has(taskUUID)) socket.send(JSON.stringify({ data: [result], errors: [{ ...CONFLICT, taskUUID }] }));
        else socket.send(JSON.stringify({ data: [result] }));
        seen.add(taskUUID);
      }),
    );
    try {
      const server = await relayServer(upstream, { unclaimedInputs: 'refuse' });
      const alice = await rawBrowser(server);
      await authenticate(alice, 'alice-session-token');
      const first = randomUUID();
      expect((await answerFor(alice, first, [{ taskType: 'imageInference', taskUUID: first, ...IMAGE }])).errors).toEqual([]);
      const again = await answerFor(alice, first, [{ taskType: 'imageInference', taskUUID: first, ...IMAGE }]);
      expect(again.errors).toEqual([expect.objectContaining({ code: 'conflictTaskUUID' })]);
      const imageUUID = String(again.data[0]?.['imageUUID']);
      const next = randomUUID();
      const answer = await answerFor(alice, next, [{ taskType: 'imageInference', taskUUID: next, ...IMAGE, seedImage: imageUUID }]);
      expect(answer.errors).toEqual([]);
    } finally {
      await upstream.close();
    }
  });
});
