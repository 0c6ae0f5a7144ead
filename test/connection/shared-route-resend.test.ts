import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { authOk } from '../support/fake-socket.js';
import { TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

/** The tasks written on a socket after its authentication, as taskType and taskUUID. */
const written = (tasks: readonly { readonly taskType: string; readonly taskUUID?: unknown }[]): string[] =>
  tasks.filter((task) => task.taskType !== 'authentication' && task.taskType !== 'ping').map((task) => `${task.taskType} ${String(task.taskUUID)}`);

/** A request and an attach of the same taskUUID on one connection, whose socket opens at 1 ms and is authenticated at 2 ms. */
function requestAndAttach(scheduler: TestScheduler) {
  const { sockets, connection } = connectionOverFakeSockets();
  const request = watchTask(connection, TASK);
  const attach = watchTask(connection, TASK);
  scheduler.schedule(() => sockets.last().open(), 1);
  scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
  return { sockets, request, attach };
}

/*
 * A request and an `attach` of the same taskUUID share one route. A submission written and lost
 * with its socket must be written again after the reconnect even when a poll of that task
 * (the attach's) was written after it: the resumed server may never have read the submission,
 * and a poll alone would be answered that no such task exists.
 */
describe('a submission lost in flight while an attach polls the same task', () => {
  it('is written again on the resumed session, before anything else of that task', () => {
    inVirtualTime((scheduler) => {
      const { sockets, request, attach } = requestAndAttach(scheduler);
      scheduler.schedule(() => request.send({ taskType: 'videoInference', deliveryMethod: 'async' }), 3);
      scheduler.schedule(() => attach.send({ taskType: 'getResponse' }), 4);
      scheduler.schedule(() => {
        expect(written(sockets.last().tasks())).toEqual([`videoInference ${TASK}`, `getResponse ${TASK}`]);
        sockets.last().serverClose(1006);
      }, 10);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        sockets.last().receive(authOk('s'));
      }, 1011);
      scheduler.schedule(() => expect(written(sockets.last().tasks())[0]).toBe(`videoInference ${TASK}`), 1012);
    });
  });

  it('is written again when the poll went out in the same frame as the submission', () => {
    inVirtualTime((scheduler) => {
      const { sockets, request, attach } = requestAndAttach(scheduler);
      scheduler.schedule(() => {
        request.send({ taskType: 'videoInference', deliveryMethod: 'async' });
        attach.send({ taskType: 'getResponse' });
      }, 3);
      scheduler.schedule(() => sockets.last().serverClose(1006), 10);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive(authOk('s'));
      }, 1011);
      scheduler.schedule(() => expect(written(sockets.last().tasks())[0]).toBe(`videoInference ${TASK}`), 1012);
    });
  });
});
