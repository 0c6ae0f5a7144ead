import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * A taskUUID the caller chooses is one text from end to end: the client routes answers by it,
 * and so does a relay (which refuses other spellings). One in capitals is refused before anything
 * is sent, naming the rule, rather than sent to a server that may answer under another spelling.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };

describe('a taskUUID chosen by the caller, in capitals', () => {
  it('is refused for a request, in words, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const shouted = randomUUID().toUpperCase();
    const error = await runware.imageInference(image, { taskUUID: shouted }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'validation', parameter: 'taskUUID', sent: false });
    expect((error as Error).message).toMatch(/lower case/);
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference')).toEqual([]);
  });

  it('is refused for attach, getResponse and getTaskDetails', async () => {
    const runware = client(await simulator({ media: false }));
    const shouted = randomUUID().toUpperCase();
    for (const run of [
      () => runware.attach(shouted, { taskType: 'videoInference' }),
      () => runware.getResponse(shouted),
      () => runware.getTaskDetails({ taskUUID: shouted }),
    ]) {
      const error = await run().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/lower case/);
    }
  });
});
