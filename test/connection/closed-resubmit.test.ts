import { describe, expect, it } from 'vitest';
import { authOk } from '../support/fake-socket.js';
import type { watchTask as WatchTask } from '../support/connection-harness.js';
import { OTHER, TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

describe('a task submitted while the connection tells its state$ that it closed', () => {
  it('is not failed with the error that ended the tasks before it: it goes out on the link it started', () => {
    inVirtualTime((scheduler) => {
      // No reconnect attempt: the first loss ends the link with an error.
      const { sockets, connection } = connectionOverFakeSockets({ reconnect: { initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts: 0 } });
      const first = watchTask(connection, TASK);
      let second: ReturnType<typeof WatchTask> | undefined;
      // A supervisor that submits again as soon as it is told the connection closed.
      connection.state$.subscribe((state) => {
        if (state.type !== 'closed' || second !== undefined) return;
        second = watchTask(connection, OTHER);
        second.send();
      });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => first.send(), 3);
      scheduler.schedule(() => sockets.last().serverClose(1006), 10);
      scheduler.schedule(() => {
        expect(first.error()?.code).toBe('connection');
        expect(second?.error()).toBeUndefined();
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        sockets.last().receive(authOk('s2'));
      }, 11);
      scheduler.schedule(() => {
        expect(sockets.last().tasks().map((task) => task.taskUUID)).toEqual([undefined, OTHER]);
        expect(second?.sent()).toBe(1);
      }, 12);
    });
  });
});
