import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import type { Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';

/*
 * A look-up of another task (getTaskDetails) goes under that task's taskUUID, which its
 * parameters give. Read once, like every parameter: a getter there runs once, and the task the
 * request sends and the task its abort names are the same one.
 */

describe('a getTaskDetails with an AbortSignal', () => {
  it('reads the taskUUID it asks about once, sends the look-up under it, and names it when aborted', async () => {
    let first!: (task: Task) => void;
    const arrived = new Promise<Task>((resolve) => (first = resolve));
    const server = await startHostileServer(politeAuth((task) => first(task)));
    const runware = createRunware({ apiKey: 'k', url: server.url });
    const reads: string[] = [];
    // Each read gives another taskUUID: whichever the request uses is seen, and how often it reads.
    const params = {
      get taskUUID(): string {
        const taskUUID = crypto.randomUUID();
        reads.push(taskUUID);
        return taskUUID;
      },
    };
    const controller = new AbortController();
    const pending = runware.getTaskDetails(params, { signal: controller.signal }).catch((failure: unknown) => failure);
    const sent = await arrived;
    controller.abort();
    const error = await pending;
    await runware.disconnect();
    await server.close();
    expect(reads).toHaveLength(1);
    expect(sent).toMatchObject({ taskType: 'getTaskDetails', taskUUID: reads[0] });
    expect(error).toMatchObject({ code: 'aborted', sent: true, taskUUID: reads[0] });
  });

  it('reads it once, and names it, when the signal was aborted already and nothing is sent', async () => {
    const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1' });
    const target = crypto.randomUUID();
    let reads = 0;
    const params = {
      get taskUUID(): string {
        reads += 1;
        return target;
      },
    };
    const error = await runware.getTaskDetails(params, { signal: AbortSignal.abort() }).catch((failure: unknown) => failure);
    await runware.disconnect();
    expect(reads).toBe(1);
    expect(error).toMatchObject({ code: 'aborted', sent: false, taskUUID: target });
  });
});
