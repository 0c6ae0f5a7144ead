import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { OutboundTask } from '../../src/protocol/frames.js';
import { authOk, createFakeSockets } from '../support/fake-socket.js';
import { OTHER, TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

const THIRD = '3f0c1a52-5d8e-4b7a-9c61-0e2f4a8b7d19';

/** The simulator's answer to a frame it cannot read: an error that names no task. */
const INVALID_JSON = { errors: [{ code: 'invalidJSON', message: 'The message is not valid JSON. Send a JSON array of task objects.' }] };

/**
 * A server that refuses, whole and unread, every frame holding a task whose prompt is `refused`
 * (with an error that names no task, as the simulator answers a frame it cannot read), and reads
 * the others without answering them: the test answers for it. It opens sockets, accepts the key
 * and answers pings. Its refusals come `refusesAfter` ms after the frame.
 */
function refusingServer(scheduler: TestScheduler, refusesAfter = 1) {
  const read: OutboundTask[][] = [];
  let refusals = 0;
  const sockets = createFakeSockets({
    created: (socket) => void scheduler.schedule(() => socket.open(), 1),
    sent: (socket, text) => {
      const tasks = JSON.parse(text) as OutboundTask[];
      if (tasks.some((task) => task['positivePrompt'] === 'refused')) {
        refusals += 1;
        scheduler.schedule(() => socket.receive(INVALID_JSON), refusesAfter);
        return;
      }
      for (const task of tasks) {
        if (task.taskType === 'authentication') scheduler.schedule(() => socket.receive(authOk('session')), 1);
        else if (task.taskType === 'ping') scheduler.schedule(() => socket.receive({ data: [{ taskType: 'ping', pong: true }] }), 1);
      }
      if (tasks.some((task) => task.taskType !== 'authentication' && task.taskType !== 'ping')) read.push(tasks);
    },
  });
  return {
    WebSocket: sockets.WebSocket,
    /** The taskUUIDs of each frame of tasks the server read. */
    read: () => read.map((frame) => frame.map((task) => task['taskUUID'])),
    refusals: () => refusals,
    /** Sends a frame on the current socket. */
    answer: (frame: unknown) => sockets.last().receive(frame),
  };
}

const result = (taskUUID: string) => ({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `image-${taskUUID}` }] });

/*
 * An error that names no task is, by the reference, a connection-level one (§6.1); the simulator
 * answers so a frame it cannot read (`invalidJSON`, `invalidPayload`) and keeps the socket open.
 * A refused frame is never answered otherwise: its tasks would wait for their deadlines. The
 * connection counts the refusals and the frames no reply has answered: once they are as many,
 * every frame still unanswered is one the server refused. A task alone in a refused frame fails
 * as validation; the tasks of a refused frame of several are written again, each alone, so that
 * only the one the server cannot read fails. A task the server read is never failed by them.
 */
describe('an error naming no task that refuses a frame', () => {
  it('fails the task alone in the one frame no reply answered, as validation, at once', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => task.send({ positivePrompt: 'refused' }), 5);
      scheduler.schedule(() => {
        expect(task.error()).toMatchObject({ code: 'validation', retryable: false, serverCode: 'invalidJSON' });
      }, 7);
    });
  });

  it('does not fail a task the server read and is still running; the refused one fails once that one is answered', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const running = watchTask(connection, TASK);
      const refused = watchTask(connection, OTHER);
      scheduler.schedule(() => running.send({ positivePrompt: 'a cat' }), 5);
      scheduler.schedule(() => refused.send({ positivePrompt: 'refused' }), 6);
      scheduler.schedule(() => {
        // Either frame may be the refused one: neither task is failed yet.
        expect(running.error()).toBeUndefined();
        expect(refused.error()).toBeUndefined();
        server.answer(result(TASK));
      }, 1000);
      scheduler.schedule(() => {
        expect(running.error()).toBeUndefined();
        expect(refused.error()).toMatchObject({ code: 'validation', serverCode: 'invalidJSON' });
      }, 1001);
    });
  });

  it('writes the tasks of a refused frame of several again, each alone: the innocent ones are read, only the culprit fails once they are answered', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const first = watchTask(connection, TASK);
      const culprit = watchTask(connection, OTHER);
      const third = watchTask(connection, THIRD);
      scheduler.schedule(() => {
        first.send({ positivePrompt: 'a cat' });
        culprit.send({ positivePrompt: 'refused' });
        third.send({ positivePrompt: 'a dog' });
      }, 5);
      scheduler.schedule(() => {
        expect(server.refusals()).toBe(2);
        expect(server.read()).toEqual([[TASK], [THIRD]]);
        // Until the tasks read are answered, any of the three frames may be the refused one.
        expect([first.error(), culprit.error(), third.error()]).toEqual([undefined, undefined, undefined]);
        server.answer(result(TASK));
        server.answer(result(THIRD));
      }, 100);
      scheduler.schedule(() => {
        expect(first.error()).toBeUndefined();
        expect(third.error()).toBeUndefined();
        expect(culprit.error()).toMatchObject({ code: 'validation', serverCode: 'invalidJSON' });
      }, 101);
    });
  });

  it('fails no request for a refused frame that held only a poll of its task (an attach\'s), its submission read in an earlier frame', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const request = watchTask(connection, TASK);
      const other = watchTask(connection, OTHER);
      const attach = watchTask(connection, TASK);
      scheduler.schedule(() => {
        request.send({ positivePrompt: 'a cat' });
        other.send({ positivePrompt: 'a dog' });
      }, 5);
      // The poll's frame is the one the server refuses; the submission's frame it read.
      scheduler.schedule(() => attach.send({ taskType: 'getResponse', positivePrompt: 'refused' }), 6);
      scheduler.schedule(() => server.answer(result(OTHER)), 10);
      scheduler.schedule(() => {
        // The submission goes again, alone, though its frame was read (the refused poll's route
        // no longer points there): a server that has the task answers conflictTaskUUID, and the
        // request polls it. Never billed twice, and never failed.
        expect(server.read()).toEqual([[TASK, OTHER], [TASK]]);
        expect(server.refusals()).toBe(1);
        // The server runs (and bills) the task: failing its request would lose the result.
        expect(request.error()).toBeUndefined();
        expect(other.error()).toBeUndefined();
      }, 30);
    });
  });

  it('writes a submission again, alone, when its frame and the frame of a poll of it (an attach\'s) written after it were both refused', () => {
    inVirtualTime((scheduler) => {
      // Both frames are written before the first refusal comes.
      const server = refusingServer(scheduler, 3);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const request = watchTask(connection, TASK);
      const culprit = watchTask(connection, OTHER);
      const attach = watchTask(connection, TASK);
      scheduler.schedule(() => {
        request.send({ positivePrompt: 'a cat' });
        culprit.send({ positivePrompt: 'refused' });
      }, 5);
      scheduler.schedule(() => attach.send({ taskType: 'getResponse', positivePrompt: 'refused' }), 6);
      scheduler.schedule(() => {
        expect(server.refusals()).toBeGreaterThanOrEqual(2);
        // The submission of the first frame reaches the server on its own: the request is not left to its deadline.
        expect(server.read()).toContainEqual([TASK]);
        expect(request.error()).toBeUndefined();
      }, 30);
    });
  });

  it('fails nothing when no frame is waiting for an answer, nor any task read afterwards', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const answered = watchTask(connection, TASK);
      const later = watchTask(connection, OTHER);
      scheduler.schedule(() => answered.send({ positivePrompt: 'a cat' }), 5);
      scheduler.schedule(() => server.answer(result(TASK)), 10);
      // A refusal of nothing this client is waiting on.
      scheduler.schedule(() => server.answer(INVALID_JSON), 20);
      scheduler.schedule(() => later.send({ positivePrompt: 'a dog' }), 30);
      scheduler.schedule(() => {
        expect(answered.error()).toBeUndefined();
        expect(later.error()).toBeUndefined();
      }, 1000);
    });
  });

  it('fails nothing for an error naming no task but a field of one (a task sent without its taskUUID): the rest of its frame was read', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => task.send({ positivePrompt: 'a cat' }), 5);
      scheduler.schedule(() => server.answer({ errors: [{ code: 'missingTaskUUID', message: 'Missing taskUUID parameter.', parameter: 'taskUUID', type: 'string', taskType: 'imageInference' }] }), 10);
      scheduler.schedule(() => expect(task.error()).toBeUndefined(), 1000);
    });
  });

  it('fails nothing for an error naming no task that refuses nothing (a server error)', () => {
    inVirtualTime((scheduler) => {
      const server = refusingServer(scheduler);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.WebSocket });
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => task.send({ positivePrompt: 'a cat' }), 5);
      scheduler.schedule(() => server.answer({ errors: [{ code: 'internalServerError', message: 'boom' }] }), 10);
      scheduler.schedule(() => expect(task.error()).toBeUndefined(), 1000);
    });
  });
});
