import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** One task a client sent, as the hostile server saw it. */
export type Task = Record<string, unknown> & { readonly taskType: string; readonly taskUUID?: string };

/** What a hostile server does with a socket: it is told of each task and may answer however it likes. */
export interface Behaviour {
  /** A task arrived (authentication and pings included); `socket.send` answers with anything. */
  onTask(task: Task, socket: WebSocket, server: HostileServer): void;
  /** A socket connected. */
  onConnection?(socket: WebSocket, server: HostileServer): void;
}

/** A WebSocket server on loopback that misbehaves on purpose. */
export interface HostileServer {
  readonly url: string;
  /** Every task received, in order. */
  readonly received: Task[];
  /** How many sockets connected so far. */
  connections: number;
  close(): Promise<void>;
}

/** The server's acknowledgement of authentication. */
export const authOk = (socket: WebSocket, session = 'hostile-session'): void =>
  socket.send(JSON.stringify({ data: [{ taskType: 'authentication', connectionSessionUUID: session }] }));

/** Answers authentication and pings like the API, and hands every other task to `onOther`. */
export const politeAuth = (onOther: Behaviour['onTask']): Behaviour => ({
  onTask(task, socket, server) {
    if (task.taskType === 'authentication') authOk(socket);
    else if (task.taskType === 'ping') socket.send(JSON.stringify({ data: [{ taskType: 'ping', pong: true }] }));
    else onOther(task, socket, server);
  },
});

/**
 * Starts a hostile server on 127.0.0.1, port 0.
 *
 * @param behaviour What it does.
 * @returns The running server; close it after the test.
 */
export async function startHostileServer(behaviour: Behaviour): Promise<HostileServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const server: HostileServer = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1`,
    received: [],
    connections: 0,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (socket) => {
    server.connections += 1;
    socket.on('error', () => undefined);
    behaviour.onConnection?.(socket, server);
    socket.on('message', (data) => {
      let tasks: unknown;
      try {
        tasks = JSON.parse(String(data));
      } catch {
        return;
      }
      for (const task of Array.isArray(tasks) ? (tasks as Task[]) : []) {
        server.received.push(task);
        if (socket.readyState === WebSocket.OPEN) behaviour.onTask(task, socket, server);
      }
    });
  });
  return server;
}
