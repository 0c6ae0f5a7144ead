import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { client, received, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

/*
 * A dry run answers one priced task, and resolves with it: `settled`, which would turn the answer
 * into an outcome record that the DryRunResult type does not describe, is refused in words, and
 * nothing is sent. An aborted dry run names its task, as every aborted request does.
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

describe('an aborted dryRun', () => {
  it('names the task it would have been when its signal was aborted already', async () => {
    const sim = await simulator({ media: false });
    const error = await client(sim).dryRun('imageInference', image, { signal: AbortSignal.abort() }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'aborted', sent: false, taskUUID: expect.any(String) });
    expect(received(sim, 'imageInference')).toBe(0);
  });

  it('names its task when aborted before it was sent, and the task sent when aborted after', async () => {
    // Never answers: the dry run waits until it is aborted.
    const server = await startHostileServer(politeAuth(() => undefined));
    const runware = createRunware({ apiKey: 'test-key', url: server.url });
    const early = new AbortController();
    const unsent = runware.dryRun('imageInference', image, { signal: early.signal }).catch((failure: unknown) => failure);
    early.abort();
    const late = new AbortController();
    const sent = runware.dryRun('imageInference', image, { signal: late.signal }).catch((failure: unknown) => failure);
    await waitFor(() => server.received.some(({ taskType }) => taskType === 'imageInference'));
    late.abort();
    const errors = await Promise.all([unsent, sent]);
    await runware.disconnect();
    await server.close();
    const [task] = server.received.filter(({ taskType }) => taskType === 'imageInference');
    expect(errors).toEqual([
      expect.objectContaining({ code: 'aborted', sent: false, taskUUID: expect.any(String) }),
      expect.objectContaining({ code: 'aborted', sent: true, taskUUID: task?.taskUUID }),
    ]);
  });
});
