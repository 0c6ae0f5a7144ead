import { afterEach, describe, expect, it } from 'vitest';
import type { RunwareClient } from 'runware-rx';
import { createRunware, isRunwareError } from 'runware-rx';
import type { HostileServer } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';

/*
 * `maxReconnectAttempts` bounds the dials of every request the client was running when the link
 * gave up, not only of those on the socket then: a request waiting out its own retry delay at that
 * moment is not on the router, and when its wait ended it joined again, which started a new link
 * and dialled, up to `maxRetries` times.
 */

let server: HostileServer | undefined;
let runware: RunwareClient | undefined;

afterEach(async () => {
  await runware?.disconnect();
  await server?.close();
});

describe('a task in its retry backoff when the connection gives up reconnecting', () => {
  it('does not dial the server again behind maxReconnectAttempts', async () => {
    server = await startHostileServer({
      // The first socket turns the task away (a 5xx at the door: re-sent under the same taskUUID) and drops.
      ...politeAuth((task, socket) => {
        socket.send(JSON.stringify({ errors: [{ code: 'serviceUnavailable', message: 'Busy, try again.', taskUUID: task.taskUUID }] }), () => socket.terminate());
      }),
      onConnection: (socket, self) => {
        if (self.connections > 1) socket.terminate();
      },
    });
    runware = createRunware({ apiKey: 'give-up-key', url: server.url, maxReconnectAttempts: 0, maxRetries: 2, retryDelay: 50 });
    const error: unknown = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    // The link gave up after the first socket; nothing should have dialled since, and the task
    // should end with the give-up verdict.
    expect({ connections: server.connections, retryable: isRunwareError(error) && error.retryable }).toEqual({ connections: 1, retryable: false });
  });

  it('ends a request queued behind maxInFlight too, as never sent', async () => {
    // The first socket takes the key and the first task, then drops; every later one is dropped at once.
    server = await startHostileServer({
      ...politeAuth((_task, socket) => socket.terminate()),
      onConnection: (socket, self) => {
        if (self.connections > 1) socket.terminate();
      },
    });
    runware = createRunware({ apiKey: 'give-up-key', url: server.url, maxReconnectAttempts: 0, maxRetries: 2, retryDelay: 50, maxInFlight: 1 });
    const outcome = (promise: Promise<unknown>) => promise.then(() => undefined, (failure: unknown) => failure);
    const first = outcome(runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' }));
    const queued = outcome(runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a harbour at dawn' }));
    const [firstError, queuedError] = await Promise.all([first, queued]);
    expect(isRunwareError(firstError) && firstError.message).toMatch(/^Gave up reconnecting/);
    expect(isRunwareError(queuedError) && { message: queuedError.message, retryable: queuedError.retryable, sent: queuedError.sent }).toEqual({
      message: expect.stringMatching(/^Gave up reconnecting/) as unknown,
      retryable: false,
      sent: false,
    });
    expect(server.connections).toBe(1);
  });
});
