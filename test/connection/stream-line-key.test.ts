import { describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/connection/api-key.js';
import type { RouteListener } from '../../src/connection/route.js';
import type { StreamLine } from '../../src/connection/stream-line.js';
import { openStreamLine } from '../../src/connection/stream-line.js';
import { RunwareError } from '../../src/errors/runware-error.js';
import { createScheduler } from '../support/marbles.js';

/*
 * A stream line asks for the key on each send, and waits for a key function that answers later
 * within authTimeout. A key function whose synchronous part ends the line (a `disconnect()` where
 * the token is asked for) leaves nothing behind: a wait armed for a line nobody listens to would
 * keep a Node process alive for authTimeout.
 */

/** Sends a task on a line whose key function ends it, then answers as `answer` does; returns what ended it and how the line was failed. */
function sendOnLineEndedByItsKey(answer: () => Promise<string>): { ended: RunwareError; failures: unknown[] } {
  const ended = new RunwareError({ code: 'aborted', message: 'The client was disconnected.' });
  // Asked for on the send below, once the line exists.
  const apiKey = new ApiKey(() => {
    line.end(ended);
    return answer();
  });
  const failures: unknown[] = [];
  const listener: RouteListener = { sent: () => undefined, reply: () => undefined, fail: (error) => failures.push(error) };
  const line: StreamLine = openStreamLine({ url: 'http://runware.test/v1', apiKey, log: undefined, authTimeout: 5000 }, listener, () => undefined);
  line.send({ taskType: 'textInference', taskUUID: 'a770f077-f413-47de-9dac-be0b26a35da6' });
  return { ended, failures };
}

describe('a stream line ended by its own key function', () => {
  it('arms no wait for the key, and is failed once, with what ended it', () => {
    const scheduler = createScheduler();
    scheduler.run(() => {
      const { ended, failures } = sendOnLineEndedByItsKey(() => Promise.resolve('a-key-from-a-token-service'));
      expect(failures).toEqual([ended]);
      // Nothing is left to run for it.
      expect(scheduler.actions).toEqual([]);
    });
  });

  it('leaves no rejection unhandled when the key function that ended it then fails (a token fetch the disconnect aborted)', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const { ended, failures } = sendOnLineEndedByItsKey(() => Promise.reject(new Error('the token fetch was aborted')));
      // Node reports an unhandled rejection once the microtasks of the turn have run: a macrotask later.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(failures).toEqual([ended]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
