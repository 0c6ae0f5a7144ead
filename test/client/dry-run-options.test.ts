import { describe, expect, it } from 'vitest';
import { client, received, simulator } from '../support/simulator.js';

/*
 * A dry run answers one priced task, and resolves with it: `settled`, which would turn the answer
 * into an outcome record that the DryRunResult type does not describe, is refused in words, and
 * nothing is sent.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };

describe('dryRun', () => {
  it('refuses settled, which would resolve something other than the DryRunResult its type promises', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    for (const settled of [true, false]) {
      const outcome = await runware.dryRun('imageInference', image, { settled } as never).then(
        (answer) => ({ answer }),
        (error: unknown) => ({ error }),
      );
      expect(outcome, String(settled)).toMatchObject({ error: { code: 'validation', parameter: 'settled', sent: false } });
    }
    expect(received(sim, 'imageInference')).toBe(0);
    expect(await runware.dryRun('imageInference', image)).toMatchObject({ taskType: 'imageInference', cost: expect.any(Number) });
  });
});
