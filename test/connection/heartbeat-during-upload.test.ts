import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { FakeSocket } from '../support/fake-socket.js';
import { authOk } from '../support/fake-socket.js';
import { TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

/** Gives a fake socket what a WebSocket reports of its outbound bytes not yet sent. */
function withBacklog(socket: FakeSocket, bytes: number): { set(bytes: number): void } {
  const state = { bufferedAmount: bytes };
  Object.defineProperty(socket, 'bufferedAmount', { get: () => state.bufferedAmount, configurable: true });
  return { set: (value) => void (state.bufferedAmount = value) };
}

/** Drains a backlog of `total` bytes by `step` bytes every `every` ms from `from`; returns when it is empty. */
function drain(scheduler: TestScheduler, backlog: { set(bytes: number): void }, total: number, step: number, every: number, from: number): number {
  let left = total;
  let at = from;
  while (left > 0) {
    left = Math.max(0, left - step);
    const value = left;
    at += every;
    scheduler.schedule(() => backlog.set(value), at);
  }
  return at;
}

/*
 * A ping written behind a large frame (inline media of a few hundred MB) reaches the server only
 * once the frame has: the server cannot answer it sooner, however alive it is. While the socket
 * is still sending what it was given (its `bufferedAmount` shrinks), the ping's deadline waits;
 * a backlog that does not move is a dead socket like any other.
 */
describe('the heartbeat while a large frame is being sent', () => {
  it('does not replace a socket whose backlog keeps shrinking, though no answer can come before it is sent', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = connectionOverFakeSockets();
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ positivePrompt: 'a cat' }), 5);
      let done = 0;
      scheduler.schedule(() => {
        // 100 MB still to send, at 1 MB every second: 100 s, far beyond interval + timeout (30 s).
        const backlog = withBacklog(sockets.last(), 100_000_000);
        done = drain(scheduler, backlog, 100_000_000, 1_000_000, 1000, 6);
      }, 6);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(1);
        expect(task.error()).toBeUndefined();
        // The backlog was empty at 100 006 ms; the last bytes still crossed the network (a kernel's
        // buffer holds megabytes) before the server read the pings and answered.
        sockets.last().receive({ data: [{ taskType: 'ping', pong: true }] });
      }, 106_006);
      scheduler.schedule(() => {
        expect(done).toBe(100_006);
        expect(sockets.sockets).toHaveLength(1);
        expect(sockets.last().closedByClient).toBe(false);
      }, 106_007);
    });
  });

  it('still replaces a socket whose backlog does not move within the ping deadline', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = connectionOverFakeSockets();
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ positivePrompt: 'a cat' }), 5);
      scheduler.schedule(() => void withBacklog(sockets.last(), 100_000_000), 6);
      // Pinged at 20 002 ms; nothing has moved 10 s later.
      scheduler.schedule(() => expect(sockets.sockets).toHaveLength(1), 30_001);
      scheduler.schedule(() => expect(sockets.sockets[0]!.closedByClient).toBe(true), 30_003);
    });
  });
});
