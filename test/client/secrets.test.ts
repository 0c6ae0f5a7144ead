import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { LogRecord, RunwareError } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { authOk, createFakeSockets } from '../support/fake-socket.js';
import { client, simulator } from '../support/simulator.js';

const KEY = 'rw-secret-0123456789abcdef';

/** Every string reachable from a value: own properties (enumerable or not), causes, stacks. */
function strings(value: unknown, seen = new Set<unknown>(), depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return [];
  seen.add(value);
  return Object.getOwnPropertyNames(value).flatMap((name) =>
    strings((value as Record<string, unknown>)[name], seen, depth + 1).concat(name),
  );
}

describe('the API key', () => {
  it('appears in no property, cause or stack of an auth error, even when the server echoes it', () => {
    const sockets = createFakeSockets();
    const logged: LogRecord[] = [];
    let failure: RunwareError | undefined;
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(() => {
      const runware = createRunware({ apiKey: KEY, url: 'ws://x.test/v1', WebSocket: sockets.WebSocket, logger: (record) => logged.push(record) });
      runware.image$({ model: 'runware:101@1', positivePrompt: 'a key' }).subscribe({ error: (error: RunwareError) => (failure = error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => {
        sockets.last().receive({
          errors: [{ code: 'invalidApiKey', message: `Invalid API key ${KEY}`, parameter: 'apiKey', taskType: 'authentication', apiKey: KEY }],
        });
      }, 2);
    });
    expect(failure?.code).toBe('auth');
    expect(strings(failure).filter((text) => text.includes(KEY))).toEqual([]);
    expect(logged.length).toBeGreaterThan(0);
    expect(strings(logged).filter((text) => text.includes(KEY))).toEqual([]);
  });

  it('appears in no error of a lost connection or a failed task', () => {
    const sockets = createFakeSockets();
    const failures: unknown[] = [];
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(() => {
      const runware = createRunware({ apiKey: KEY, url: 'ws://x.test/v1', WebSocket: sockets.WebSocket, maxRetries: 0 });
      runware.image$({ model: 'runware:101@1', positivePrompt: 'one' }).subscribe({ error: (error: unknown) => failures.push(error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => {
        const [task] = sockets.last().tasks().filter((sent) => sent.taskType === 'imageInference');
        sockets.last().receive({ errors: [{ code: 'internalServerError', message: `failed for ${KEY}`, taskUUID: task?.taskUUID }] });
      }, 3);
      scheduler.schedule(() => {
        runware.image$({ model: 'runware:101@1', positivePrompt: 'two' }).subscribe({ error: (error: unknown) => failures.push(error) });
      }, 4);
      scheduler.schedule(() => sockets.last().serverClose(1011, `bye ${KEY}`), 5);
      scheduler.schedule(() => void runware.disconnect(), 10_000);
    });
    expect(failures).toHaveLength(2);
    expect(strings(failures).filter((text) => text.includes(KEY))).toEqual([]);
  });

  it('is not echoed by option validation', () => {
    expect.assertions(1);
    try {
      createRunware({ apiKey: KEY, url: `https://${KEY}.example` });
    } catch (error) {
      expect(strings(error).filter((text) => text.includes(KEY))).toEqual([]);
    }
  });

  it('is not in what a rejected connect() carries over the wire from the simulator', async () => {
    const sim = await simulator({ apiKey: 'another-key' });
    const error: unknown = await client(sim, { apiKey: KEY }).connect().catch((failure: unknown) => failure);
    expect(strings(error).filter((text) => text.includes(KEY))).toEqual([]);
  });
});
