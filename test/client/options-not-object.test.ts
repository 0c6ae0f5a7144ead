import { afterEach, describe, expect, it } from 'vitest';
import type { RunwareClient } from 'runware-rx';
import { createRunware } from 'runware-rx';

/*
 * Plain JavaScript may pass request options that are not an object: a Promise method rejects
 * with a ValidationError naming them, never throws.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };
const clients: RunwareClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((runware) => runware.disconnect()));
});

describe('request options that are not an object, from plain JavaScript', () => {
  const TASK_UUID = '6a1f4c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b';
  const methods = {
    imageInference: (runware: RunwareClient, options: never) => runware.imageInference(image, options),
    getResponse: (runware: RunwareClient, options: never) => runware.getResponse(TASK_UUID, options),
    attach: (runware: RunwareClient, options: never) => runware.attach(TASK_UUID, options),
    dryRun: (runware: RunwareClient, options: never) => runware.dryRun('imageInference', image as never, options),
  };
  for (const [name, call] of Object.entries(methods)) {
    for (const options of [null, 5, 'fast']) {
      it(`${name}(…, ${JSON.stringify(options)}) rejects with a ValidationError naming them; it does not throw`, async () => {
        // Nothing is sent: the URL is never dialled.
        const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://127.0.0.1:9/v1' });
        clients.push(runware);
        let outcome: unknown;
        try {
          outcome = await call(runware, options as never).then(
            () => 'resolved',
            (error: unknown) => error,
          );
        } catch (thrown) {
          outcome = { thrownSynchronously: String(thrown) };
        }
        expect(outcome).toEqual(expect.objectContaining({ code: 'validation', parameter: 'options' }));
      });
    }
  }
});
