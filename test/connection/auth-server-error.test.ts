import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { authOk } from '../support/fake-socket.js';
import { TASK, connectionOverFakeSockets, inVirtualTime, watchTask } from '../support/connection-harness.js';

describe('a server error at authentication', () => {
  const serverError = { code: 'internalServerError', message: 'Something went wrong, try again.', taskType: 'authentication' };

  it('on a reconnect is retried like a lost socket, not taken for a refused key: the task in flight survives', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states } = connectionOverFakeSockets();
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => task.send(), 3);
      scheduler.schedule(() => sockets.last().serverClose(1006), 5);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive({ errors: [serverError], error: serverError });
      }, 1006);
      scheduler.schedule(() => {
        expect(task.error()).toBeUndefined();
        expect(states.at(-1)).toMatchObject({ type: 'reconnecting', error: { code: 'serverError', serverCode: 'internalServerError', retryable: true } });
      }, 1007);
      // Dialled again after the backoff; this time the key is accepted and the task goes out again.
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(3);
        sockets.last().open();
        sockets.last().receive(authOk('s1'));
        expect(sockets.last().tasks().map((sent) => sent.taskUUID ?? sent.taskType)).toEqual(['authentication', TASK]);
        expect(task.error()).toBeUndefined();
      }, 3007);
    });
  });

  it('at the first connect fails connect() with the server\'s error, retryable, not with code auth', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = connectionOverFakeSockets();
      let failure: RunwareError | undefined;
      connection.open$().subscribe({ error: (error: RunwareError) => (failure = error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive({ errors: [serverError] }), 2);
      scheduler.schedule(() => {
        expect(failure).toMatchObject({ code: 'serverError', serverCode: 'internalServerError', retryable: true, taskType: 'authentication' });
        // As for any first connect that fails: no reconnect loop of its own.
        expect(sockets.sockets).toHaveLength(1);
      }, 60_000);
    });
  });

  it('of a refused key is still final on a reconnect: tasks fail with auth and nothing is dialled again', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states } = connectionOverFakeSockets();
      const task = watchTask(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => task.send(), 3);
      scheduler.schedule(() => sockets.last().serverClose(1006), 5);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive({ errors: [{ code: 'invalidApiKey', message: 'Invalid API key', parameter: 'apiKey', taskType: 'authentication' }] });
      }, 1006);
      scheduler.schedule(() => {
        expect(task.error()).toMatchObject({ code: 'auth', retryable: false, serverCode: 'invalidApiKey' });
        expect(states.at(-1)).toMatchObject({ type: 'closed', error: { code: 'auth' } });
        expect(sockets.sockets).toHaveLength(2);
      }, 10 * 60_000);
    });
  });
});
