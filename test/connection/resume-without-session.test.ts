import { describe, expect, it } from 'vitest';
import { authOk } from '../support/fake-socket.js';
import { KEY, TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

describe('session resume', () => {
  it('re-sends the submissions still in flight after a reconnect when the earlier socket was granted no session to resume', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = connectionOverFakeSockets();
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      // An acknowledgement without a connectionSessionUUID: there is nothing to resume later.
      scheduler.schedule(() => sockets.last().receive({ data: [{ taskType: 'authentication' }] }), 2);
      scheduler.schedule(() => task.send({ numberResults: 2 }), 3);
      // One of two results arrives, so nothing is pending; then the socket drops.
      scheduler.schedule(() => sockets.last().receive({ data: [{ taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i1' }] }), 4);
      scheduler.schedule(() => sockets.last().serverClose(1006), 5);
      scheduler.schedule(() => {
        sockets.last().open();
        expect(sockets.last().tasks()).toEqual([{ taskType: 'authentication', apiKey: KEY }]);
        // The server starts a session: it knows nothing of the socket before, and replays nothing.
        sockets.last().receive(authOk('s2'));
      }, 1006);
      scheduler.schedule(() => {
        expect(sockets.last().tasks().filter((sent) => sent.taskType === 'imageInference')).toEqual([
          { taskType: 'imageInference', taskUUID: TASK, numberResults: 2 },
        ]);
      }, 1007);
    });
  });
});
