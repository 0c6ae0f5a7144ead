import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { OutboundTask } from '../../src/protocol/frames.js';
import type { FakeSocket } from '../support/fake-socket.js';
import { authOk, createFakeSockets } from '../support/fake-socket.js';
import { connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

/**
 * A server that takes frames of at most `limit` UTF-8 bytes: a larger one closes the socket with
 * 1009 (message too big) unread. It opens every socket, accepts every authentication (resuming
 * the session asked for), answers pings and acknowledges every task it reads (a task read twice,
 * re-sent after a socket closed before its acknowledgement, is listed once).
 */
function byteLimitedServer(scheduler: TestScheduler, limit: number) {
  const accepted: OutboundTask[] = [];
  let refusals = 0;
  const sockets = createFakeSockets({
    created: (socket) => void scheduler.schedule(() => socket.open(), 1),
    sent: (socket: FakeSocket, text: string) => {
      if (socket.readyState !== 1) return;
      if (Buffer.byteLength(text) > limit) {
        refusals += 1;
        socket.readyState = 2;
        scheduler.schedule(() => socket.serverClose(1009, 'Max payload size exceeded'), 0);
        return;
      }
      for (const task of JSON.parse(text) as OutboundTask[]) {
        if (task.taskType === 'authentication') {
          const session = typeof task['connectionSessionUUID'] === 'string' ? task['connectionSessionUUID'] : 'session';
          scheduler.schedule(() => socket.receive(authOk(session)), 1);
        } else if (task.taskType === 'ping') {
          scheduler.schedule(() => socket.receive({ data: [{ taskType: 'ping', pong: true }] }), 1);
        } else {
          accepted.push(task);
          scheduler.schedule(() => socket.receive({ data: [{ taskType: task.taskType, taskUUID: task['taskUUID'] }] }), 1);
        }
      }
    },
  });
  return { sockets, accepted: () => [...new Set(accepted.map((task) => task['taskUUID']))], refusals: () => refusals };
}

const uuid = (index: number): string => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/*
 * A 1009 names no frame: the connection splits its frames finer after each one, down to a floor
 * (1,024 characters), and blames a task only when it was alone in the largest frame refused. These
 * servers take less than the floor, or count bytes where the text is mostly multi-byte characters:
 * the refusals must still end, with every task that fits accepted and only one that cannot failed.
 */
describe('a server whose frame limit the splitting must reach', () => {
  it('under 1 KB: the tasks that fit are sent alone and accepted, and a task too large even alone fails as validation', () => {
    inVirtualTime((scheduler) => {
      const server = byteLimitedServer(scheduler, 600);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.sockets.WebSocket });
      // Three tasks of about 260 bytes: any two of them together are more than the server takes.
      const small = [1, 2, 3].map((index) => watchTask(connection, uuid(index)));
      const large = watchTask(connection, uuid(9));
      scheduler.schedule(() => {
        for (const task of small) task.send({ positivePrompt: 'x'.repeat(200) });
        large.send({ positivePrompt: 'y'.repeat(800) });
      }, 5);
      scheduler.schedule(() => {
        expect(small.map((task) => task.error())).toEqual([undefined, undefined, undefined]);
        expect(large.error()).toMatchObject({ code: 'validation', retryable: false });
        expect(server.accepted()).toEqual(expect.arrayContaining([uuid(1), uuid(2), uuid(3)]));
        expect(server.accepted()).not.toContain(uuid(9));
        // The refusals ended (the frames halved twice, then a frame of tasks alone refused the large
        // one): the socket that carried the last tasks is still open.
        expect(server.refusals()).toBe(3);
        expect(server.sockets.last().readyState).toBe(1);
      }, 15 * 60_000);
    });
  });

  it('fails no innocent task for the refusals that split its frames, however few reconnect attempts are allowed', () => {
    inVirtualTime((scheduler) => {
      const server = byteLimitedServer(scheduler, 600);
      const { connection } = connectionOverFakeSockets({
        WebSocket: server.sockets.WebSocket,
        reconnect: { initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts: 2 },
      });
      // Forty tasks of about 110 bytes: one frame of 4.4 KB, halved three times before tasks go alone.
      const tasks = Array.from({ length: 40 }, (_, index) => watchTask(connection, uuid(index + 1)));
      scheduler.schedule(() => {
        for (const task of tasks) task.send({ positivePrompt: 'x'.repeat(50) });
      }, 5);
      scheduler.schedule(() => {
        expect(server.refusals()).toBeGreaterThan(2);
        expect(tasks.map((task) => task.error()).filter((error) => error !== undefined)).toEqual([]);
        expect([...server.accepted()].sort()).toEqual(tasks.map((_, index) => uuid(index + 1)));
        expect(server.sockets.last().readyState).toBe(1);
      }, 15 * 60_000);
    });
  });

  it('in bytes, when the frames are mostly three-byte characters: halving the frames as counted in bytes still ends', () => {
    inVirtualTime((scheduler) => {
      const server = byteLimitedServer(scheduler, 8000);
      const { connection } = connectionOverFakeSockets({ WebSocket: server.sockets.WebSocket });
      // Ten tasks of about 1,070 characters and 3,070 bytes each: one frame of 10,700 characters.
      const tasks = Array.from({ length: 10 }, (_, index) => watchTask(connection, uuid(index + 1)));
      scheduler.schedule(() => {
        for (const task of tasks) task.send({ positivePrompt: '€'.repeat(1000) });
      }, 5);
      scheduler.schedule(() => {
        expect(tasks.map((task) => task.error()).filter((error) => error !== undefined)).toEqual([]);
        expect([...server.accepted()].sort()).toEqual(tasks.map((_, index) => uuid(index + 1)));
        expect(server.refusals()).toBeLessThanOrEqual(3);
        expect(server.sockets.last().readyState).toBe(1);
      }, 15 * 60_000);
    });
  });
});
