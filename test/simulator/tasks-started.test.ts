import { describe, expect, it } from 'vitest';
import { client, simulator } from '../support/simulator.js';

/* stats().tasksStarted: what the simulator took on and ran, as opposed to what it received. */

describe('the simulator’s tasksStarted', () => {
  it('counts a task once: a re-send of its taskUUID (a conflict) and a refused task are received, not started', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const taskUUID = crypto.randomUUID();
    const params = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };
    const [first] = await runware.imageInference(params, { taskUUID });
    // The same taskUUID again: the server answers conflictTaskUUID and the client polls the task it has.
    const [again] = await runware.imageInference(params, { taskUUID });
    expect(again?.imageUUID).toBe(first?.imageUUID);
    await expect(runware.imageInference({ ...params, model: 'nonexistent:999@999' })).rejects.toMatchObject({ code: 'notFound' });

    const { tasksReceived, tasksStarted } = sim.stats();
    expect(tasksReceived).toMatchObject({ imageInference: 3, getResponse: 1 });
    expect(tasksStarted).toEqual({ imageInference: 1 });
  });
});
