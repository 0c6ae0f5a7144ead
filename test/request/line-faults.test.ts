import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { CONTEXT } from '../../src/client/task-methods.js';
import type { TaskLine } from '../../src/connection/connection.js';
import type { RouteListener } from '../../src/connection/route.js';
import type { TaskContext } from '../../src/request/task-context.js';

/*
 * A fault of runware-rx on the line a task goes out on ends that one request with a typed error
 * that says what the server may have: once the line said it wrote the task (an HTTP request
 * begun), the task is taken as sent, as a deadline or an abort takes it, and the fault is
 * runware-rx's own (`unknown`), not the task's. Only a task that cannot be written as JSON is a
 * `validation` error (test/request/frames.test.ts).
 */

const streamed = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' as const };
const taskUUID = '6f0c7a52-3b8e-4d1f-9a2c-5e7b8d9f0a1b';

/** Runs the streamed task on a line made by `line` for its listener, and how it failed. */
async function failureOn(line: (listener: RouteListener) => TaskLine): Promise<RunwareError> {
  // Nothing listens there: the line given is the only way out.
  const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://127.0.0.1:9/v1', httpUrl: 'http://127.0.0.1:9/v1' });
  const context = (runware as unknown as Record<symbol, () => TaskContext>)[CONTEXT]!();
  context.connection.stream = line;
  const outcome = await runware.textInference(streamed, { taskUUID }).then(
    () => undefined,
    (error: unknown) => error as RunwareError,
  );
  await runware.disconnect();
  if (outcome === undefined) throw new Error('the request did not fail');
  return outcome;
}

const quiet = { awaitMore: () => undefined, leave: () => undefined };

describe('a fault on the line of a task', () => {
  it('after the line wrote the task fails the request with an unknown error, taken as sent', async () => {
    const error = await failureOn((listener) => ({
      ...quiet,
      send: () => {
        listener.written?.();
        throw new Error('fault after the POST was written');
      },
    }));
    expect(error).toMatchObject({ code: 'unknown', sent: true, taskUUID, taskType: 'textInference', message: expect.stringContaining('fault after the POST was written') });
  });

  it('before anything was written fails the request with an unknown error, not sent', async () => {
    const error = await failureOn(() => ({
      ...quiet,
      send: () => {
        throw new Error('fault before the POST was written');
      },
    }));
    expect(error).toMatchObject({ code: 'unknown', sent: false, taskUUID, taskType: 'textInference', message: expect.stringContaining('fault before the POST was written') });
  });

  it('while the line opens, after it said it wrote the task, fails the request with an unknown error, taken as sent', async () => {
    const error = await failureOn((listener) => {
      listener.written?.();
      throw new Error('fault while the line opens');
    });
    expect(error).toMatchObject({ code: 'unknown', sent: true, taskUUID, taskType: 'textInference', message: expect.stringContaining('fault while the line opens') });
  });
});
