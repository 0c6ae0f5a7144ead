import { afterEach, describe, expect, it } from 'vitest';
import type { RunwareClient } from 'runware-rx';
import { createRunware, isRunwareError } from 'runware-rx';
import type { HostileServer } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { pause } from '../support/wait-for.js';

/*
 * `maxReconnectAttempts` bounds how often a lost connection is dialled again. Once the link gives
 * up, the tasks it carried fail with that verdict: their own retries (`maxRetries`) must not dial
 * the server again behind it, which would make the bound a suggestion.
 */

let server: HostileServer | undefined;
let runware: RunwareClient | undefined;

afterEach(async () => {
  await runware?.disconnect();
  await server?.close();
});

describe('a connection that gave up reconnecting', () => {
  it('fails the tasks it carried at once, and their retries dial no more', async () => {
    // The first socket takes the key and the task, then drops; every later one is dropped before it authenticates.
    server = await startHostileServer({
      ...politeAuth((_task, socket) => socket.terminate()),
      onConnection: (socket, self) => {
        if (self.connections > 1) socket.terminate();
      },
    });
    runware = createRunware({ apiKey: 'give-up-key', url: server.url, maxReconnectAttempts: 1, maxRetries: 2, retryDelay: 10 });
    const error: unknown = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isRunwareError(error) && error.message).toMatch(/^Gave up reconnecting after 1 attempts/);
    expect(isRunwareError(error) && error.retryable).toBe(false);
    // The first socket, and the one reconnection allowed.
    expect(server.connections).toBe(2);
    // A retry left behind would dial within its few ms of backoff.
    await pause(200);
    expect(server.connections).toBe(2);
    // A new request is the caller's choice, and dials afresh, with its own retries (two more).
    await expect(runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' })).rejects.toMatchObject({ code: 'connection' });
    expect(server.connections).toBe(5);
  });
});
