import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import type { Connection } from '../../src/connection/connection.js';
import { createConnection } from '../../src/connection/create-connection.js';
import { authOk, createFakeSockets } from '../support/fake-socket.js';

/*
 * A 1009 close (message too big) says a frame was too large, not which: the connection takes the
 * largest frame written on that socket for it. These are the tasks it must not blame: a task of
 * an earlier socket, a poll, and a task whose frame is longer in characters but shorter in the
 * bytes the server counts than the one it refused.
 */

const A = 'a770f077-f413-47de-9dac-be0b26a35da6';
const B = '9da1a4ad-c3de-4470-905d-5be5c042f98a';

/** Connections made by the current test; each is closed when its virtual time ends. */
const open: Connection[] = [];

function setUp(attempts = Infinity) {
  const sockets = createFakeSockets();
  const connection = createConnection({
    url: 'ws://runware.test/v1',
    apiKey: 'secret-key-123',
    WebSocket: sockets.WebSocket,
    authTimeout: 5000,
    heartbeat: { interval: 20_000, timeout: 10_000 },
    reconnect: { initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts },
    maxFrameLength: 1_000_000,
    flushAt: Infinity,
    log: undefined,
  });
  open.push(connection);
  return { sockets, connection };
}

function watch(connection: Connection, taskUUID: string) {
  let error: RunwareError | undefined;
  const line = connection.join(taskUUID, {
    sent: () => undefined,
    reply: () => undefined,
    fail: (failure) => {
      error = failure;
      line.leave();
    },
  });
  return { send: (fields: Record<string, unknown>) => line.send({ taskType: 'imageInference', taskUUID, ...fields }), error: () => error };
}

const inVirtualTime = (test: (scheduler: TestScheduler) => void): void => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    test(scheduler);
    // Reconnecting and heartbeats would otherwise keep virtual time going forever.
    scheduler.schedule(() => open.splice(0).forEach((connection) => void connection.close()), 60_000);
  });
};

describe('a connection whose socket the server closed with 1009', () => {
  it('does not blame a task written on an earlier socket that closed for another reason', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, A);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ positivePrompt: 'x'.repeat(5000) }), 3);
      // The first socket is lost (not refused); the next one is closed with 1009 before it opened.
      scheduler.schedule(() => sockets.last().serverClose(1006), 10);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        sockets.last().serverClose(1009);
      }, 1011);
      scheduler.schedule(() => expect(task.error()).toBeUndefined(), 1012);
    });
  });

  it('does not blame a poll alone in its frame: it is a few dozen bytes, and the task it asks about is running', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, A);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ taskType: 'getResponse' }), 3);
      scheduler.schedule(() => sockets.last().serverClose(1009), 10);
      scheduler.schedule(() => expect(task.error()).toBeUndefined(), 11);
    });
  });

  it('blames the frame that is largest in UTF-8 bytes, not in characters', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      // 5 000 characters and as many bytes; 3 000 characters of three bytes each, 9 000 bytes.
      const ascii = watch(connection, A);
      const multibyte = watch(connection, B);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => ascii.send({ positivePrompt: 'x'.repeat(5000) }), 3);
      scheduler.schedule(() => multibyte.send({ positivePrompt: '€'.repeat(3000) }), 4);
      // A server that takes 8 KiB refuses the second.
      scheduler.schedule(() => sockets.last().serverClose(1009), 10);
      scheduler.schedule(() => {
        expect(ascii.error()).toBeUndefined();
        expect(multibyte.error()).toMatchObject({ code: 'validation', retryable: false });
      }, 11);
    });
  });

  it('fails the task alone in the largest frame as too large even when the refusal is the last reconnect attempt', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp(0);
      const task = watch(connection, A);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ positivePrompt: 'x'.repeat(5000) }), 3);
      scheduler.schedule(() => sockets.last().serverClose(1009), 10);
      scheduler.schedule(() => expect(task.error()).toMatchObject({ code: 'validation', retryable: false }), 11);
    });
  });
});
