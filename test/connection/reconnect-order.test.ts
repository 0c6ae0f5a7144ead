import { describe, expect, it } from 'vitest';
import { authOk } from '../support/fake-socket.js';
import { OTHER, TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

const THIRD = '3f0c1a52-5d8e-4b7a-9c61-0e2f4a8b7d19';

/** The taskUUIDs of the tasks written on a socket after its authentication, in order. */
const written = (tasks: readonly { readonly taskType: string; readonly taskUUID?: unknown }[]): unknown[] =>
  tasks.filter((task) => task.taskType !== 'authentication' && task.taskType !== 'ping').map((task) => task.taskUUID);

/*
 * After a reconnect, what the lost socket may have swallowed is written first, in the order its
 * tasks were submitted, and what was submitted during the outage after it: the older tasks are
 * nearer their deadlines, and the order the server queues them in is the order users see.
 */
describe('the order of writes after a reconnect', () => {
  it('writes the re-sends of tasks in flight before the tasks submitted while the link was down (session resumed)', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = connectionOverFakeSockets();
      const first = watchTask(connection, TASK);
      const second = watchTask(connection, OTHER);
      const late = watchTask(connection, THIRD);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => first.send(), 3);
      scheduler.schedule(() => second.send(), 4);
      scheduler.schedule(() => sockets.last().serverClose(1006), 10);
      scheduler.schedule(() => late.send(), 20);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        sockets.last().receive(authOk('s'));
      }, 1011);
      scheduler.schedule(() => expect(written(sockets.last().tasks())).toEqual([TASK, OTHER, THIRD]), 1012);
    });
  });

  it('writes the re-sent submissions before the tasks submitted during the outage when the server starts a new session', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = connectionOverFakeSockets();
      const first = watchTask(connection, TASK);
      const late = watchTask(connection, OTHER);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => first.send(), 3);
      // The task was acknowledged (its submission answered), so only a new session makes it re-sent.
      scheduler.schedule(() => sockets.last().receive({ data: [{ taskType: 'imageInference', taskUUID: TASK }] }), 4);
      scheduler.schedule(() => sockets.last().serverClose(1006), 10);
      scheduler.schedule(() => late.send(), 20);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive(authOk('s2'));
      }, 1011);
      scheduler.schedule(() => expect(written(sockets.last().tasks())).toEqual([TASK, OTHER]), 1012);
    });
  });
});
