import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { authOk } from '../support/fake-socket.js';
import { TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

describe('state$ when the connection is closed from inside its own callbacks', () => {
  it('ends closed, and connect() dials again, when a task told it was sent disconnects while the socket opens', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states, types } = connectionOverFakeSockets();
      // The first request of a client is queued until the socket is authenticated, then written
      // as the socket opens; its `submitted` handler closes the connection.
      const task = watchTask(connection, TASK, () => void connection.close());
      task.send();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      let reopened = false;
      scheduler.schedule(() => {
        expect(task.sent()).toBe(1);
        expect(task.error()?.code).toBe('aborted');
        expect(sockets.last().closedByClient).toBe(true);
        expect(types().at(-1)).toBe('closed');
        expect(types().slice(types().lastIndexOf('closed'))).toEqual(['closed']);
        connection.open$().subscribe({ next: () => (reopened = true), error: () => undefined });
        // connect() after a close dials a new socket rather than trusting a stale `open`.
        expect(sockets.sockets).toHaveLength(2);
        expect(reopened).toBe(false);
        expect(states.at(-1)?.type).toBe('connecting');
      }, 3);
    });
  });

  it('dials nothing more, and stays closed, when a state$ subscriber disconnects on `connecting`', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, types } = connectionOverFakeSockets();
      let closedOnce = false;
      connection.state$.subscribe((state) => {
        if (state.type !== 'connecting' || closedOnce) return;
        closedOnce = true;
        void connection.close();
      });
      const errors: string[] = [];
      connection.open$().subscribe({ error: (error: RunwareError) => errors.push(error.code) });
      scheduler.schedule(() => {
        // Whatever socket was made is let go of; nothing authenticates on it.
        for (const socket of sockets.sockets) {
          if (socket.closedByClient) continue;
          socket.open();
          socket.receive(authOk('s1'));
        }
      }, 1);
      scheduler.schedule(() => {
        expect(errors).toEqual(['aborted']);
        expect(sockets.sockets.every((socket) => socket.closedByClient)).toBe(true);
        expect(sockets.sockets.flatMap((socket) => socket.sent)).toEqual([]);
        expect(types()).toEqual(['idle', 'connecting', 'closed']);
      }, 2);
    });
  });

  it('dials nothing more after a state$ subscriber disconnects on `reconnecting`', () => {
    inVirtualTime((scheduler) => {
      // One attempt only, so that a loop left running on its own still ends and the test with it.
      const { sockets, connection, types } = connectionOverFakeSockets({ reconnect: { initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts: 1 } });
      connection.state$.subscribe((state) => {
        if (state.type === 'reconnecting') void connection.close();
      });
      connection.open$().subscribe();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => sockets.last().serverClose(1006), 3);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(1);
        expect(types()).toEqual(['idle', 'connecting', 'authenticating', 'open', 'reconnecting', 'closed']);
        // Nothing is left to run: no backoff wait, no socket's deadline, no heartbeat.
        expect(scheduler.actions.filter((action) => action.delay < 20 * 60_000 - 60_000)).toEqual([]);
      }, 60_000);
    });
  });
  it('lets the re-dialled socket go, and leaves nothing running, when a state$ subscriber disconnects on its `connecting`', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, types } = connectionOverFakeSockets({ reconnect: { initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts: 3 } });
      let connectings = 0;
      connection.state$.subscribe((state) => {
        if (state.type !== 'connecting') return;
        connectings += 1;
        if (connectings === 2) void connection.close();
      });
      connection.open$().subscribe({ error: () => undefined });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => sockets.last().serverClose(1006), 3);
      // The backoff's dial (at 1003 ms) made a second socket; were it kept, it would open and
      // authenticate like any other.
      scheduler.schedule(() => {
        const socket = sockets.last();
        if (socket.closedByClient) return;
        socket.open();
        socket.receive(authOk('s1'));
      }, 1010);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        expect(sockets.sockets[1]!.closedByClient).toBe(true);
        expect(types().at(-1)).toBe('closed');
        // No heartbeat, deadline or backoff left running.
        expect(scheduler.actions.filter((action) => action.delay < 20 * 60_000 - 60_000)).toEqual([]);
      }, 1020);
    });
  });

  it('ends closed, and connect() dials again, when a logger disconnects on the authentication frame', () => {
    inVirtualTime((scheduler) => {
      let close: () => void = () => undefined;
      const { sockets, connection, types } = connectionOverFakeSockets({
        log: (record) => {
          if (record.event === 'frame.out' && record.detail.includes('"authentication"')) close();
        },
      });
      close = () => {
        close = () => undefined;
        void connection.close();
      };
      connection.open$().subscribe({ error: () => undefined });
      scheduler.schedule(() => sockets.last().open(), 1);
      const errors: string[] = [];
      scheduler.schedule(() => {
        // Not `authenticating` after `closed`: a connect() would take that link for one under way.
        expect(types().at(-1)).toBe('closed');
        connection.open$().subscribe({ error: (error: RunwareError) => errors.push(error.code) });
        expect(sockets.sockets).toHaveLength(2);
      }, 2);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive(authOk('s2'));
      }, 3);
      scheduler.schedule(() => {
        expect(types().at(-1)).toBe('open');
        expect(errors).toEqual([]);
      }, 10_000);
    });
  });
});
