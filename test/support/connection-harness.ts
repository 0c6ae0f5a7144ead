import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { ConnectionState, RunwareError } from 'runware-rx';
import type { Connection } from '../../src/connection/connection.js';
import type { ConnectionOptions } from '../../src/connection/create-connection.js';
import { createConnection } from '../../src/connection/create-connection.js';
import { createFakeSockets } from './fake-socket.js';

export const KEY = 'secret-key-123';
export const TASK = 'a770f077-f413-47de-9dac-be0b26a35da6';
export const OTHER = '9da1a4ad-c3de-4470-905d-5be5c042f98a';

/** Connections made by the current test; each is closed when its virtual time ends. */
const made: Connection[] = [];

/**
 * A connection over fake sockets with test-sized timings, and the states it went through.
 *
 * @param overrides Connection options to change.
 * @returns The sockets, the connection, its states and their types.
 */
export function connectionOverFakeSockets(overrides: Partial<ConnectionOptions> = {}) {
  const sockets = createFakeSockets();
  const connection = createConnection({
    url: 'ws://runware.test/v1',
    apiKey: KEY,
    WebSocket: sockets.WebSocket,
    authTimeout: 5000,
    heartbeat: { interval: 20_000, timeout: 10_000 },
    reconnect: { initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts: Infinity },
    maxFrameLength: 1_000_000,
    flushAt: Infinity,
    log: undefined,
    ...overrides,
  });
  made.push(connection);
  const states: ConnectionState[] = [];
  connection.state$.subscribe((state) => states.push(state));
  return { sockets, connection, states, types: () => states.map((state) => state.type) };
}

/**
 * Joins a taskUUID as a task would and counts what reaches it; `onSent` runs inside the
 * listener's `sent`, as a user's handler of a task's `submitted` event does.
 */
export function watchTask(connection: Connection, taskUUID: string, onSent?: () => void) {
  let sent = 0;
  let error: RunwareError | undefined;
  const line = connection.join(taskUUID, {
    sent: () => {
      sent += 1;
      onSent?.();
    },
    reply: () => undefined,
    fail: (failure) => {
      error = failure;
      line.leave();
    },
  });
  return {
    send: (fields: Record<string, unknown> = {}) => line.send({ taskType: 'imageInference', taskUUID, ...fields }),
    sent: () => sent,
    error: () => error,
  };
}

/** Runs a test in virtual time; the connections it made are closed when its time ends (heartbeats would run forever). */
export function inVirtualTime(test: (scheduler: TestScheduler) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    test(scheduler);
    scheduler.schedule(() => made.splice(0).forEach((connection) => void connection.close()), 20 * 60_000);
  });
}
