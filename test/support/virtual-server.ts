import type { TestScheduler } from 'rxjs/testing';
import type { OutboundTask } from '../../src/protocol/frames.js';
import type { FakeSocket, FakeSocketFactory } from './fake-socket.js';
import { authOk, createFakeSockets } from './fake-socket.js';

/** A task the client sent, with the virtual time it was written. */
export interface Received {
  readonly at: number;
  readonly task: OutboundTask & { readonly taskUUID: string };
}

/** Answers one task the client sent; `server.reply` sends frames back. */
export type TaskHandler = (task: Received['task'], server: VirtualServer) => void;

/** A scripted Runware server in virtual time, over the fake sockets. */
export interface VirtualServer {
  /** The socket constructor to give the client. */
  readonly WebSocket: FakeSocketFactory['WebSocket'];
  readonly sockets: FakeSocketFactory['sockets'];
  /** Every task the client sent (authentication and pings excepted), in order. */
  readonly received: Received[];
  /** The tasks of one type the client sent. */
  tasks(taskType: string): Received['task'][];
  /** Sends a frame on the current socket `delay` virtual ms from now. */
  reply(frame: unknown, delay?: number): void;
  /** Whether a session the client asks for is resumed (default); `false`: a new one is granted, as by a server that lost it. */
  resumes: boolean;
}

/**
 * Creates a server that opens every socket the client dials 1 ms after it is created, accepts
 * its authentication 1 ms after it is sent (resuming the session it names), answers pings, and
 * hands every other task to `handler`.
 *
 * @param scheduler The test's scheduler (its clock stamps what is received).
 * @param handler Answers tasks; by default nothing is answered.
 * @returns The server.
 */
export function createVirtualServer(scheduler: TestScheduler, handler: TaskHandler = () => undefined): VirtualServer {
  const received: Received[] = [];
  let current: FakeSocket | undefined;
  const sockets = createFakeSockets({
    created: (socket) => {
      current = socket;
      scheduler.schedule(() => socket.open(), 1);
    },
    sent: (socket, text) => {
      for (const task of JSON.parse(text) as OutboundTask[]) {
        if (task.taskType === 'authentication') {
          // A session asked for is resumed, as the API does while it still holds it.
          const session = server.resumes && typeof task['connectionSessionUUID'] === 'string' ? task['connectionSessionUUID'] : `session-${sockets.sockets.length}`;
          scheduler.schedule(() => socket.receive(authOk(session)), 1);
          continue;
        }
        if (task.taskType === 'ping') {
          scheduler.schedule(() => socket.receive({ data: [{ taskType: 'ping', pong: true }] }), 0);
          continue;
        }
        const taskWithUUID = task as Received['task'];
        received.push({ at: scheduler.now(), task: taskWithUUID });
        handler(taskWithUUID, server);
      }
    },
  });
  const server: VirtualServer = {
    WebSocket: sockets.WebSocket,
    sockets: sockets.sockets,
    received,
    tasks: (taskType) => received.filter(({ task }) => task.taskType === taskType).map(({ task }) => task),
    resumes: true,
    reply(frame, delay = 0) {
      const socket = current;
      scheduler.schedule(() => {
        if (socket?.readyState === 1) socket.receive(frame);
      }, delay);
    },
  };
  return server;
}
