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
  for (const options of [null, 5, 'fast']) {
    it(`(${JSON.stringify(options)}) reject with a ValidationError naming them; the method does not throw`, async () => {
      // Nothing is sent: the URL is never dialled.
      const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://127.0.0.1:9/v1' });
      clients.push(runware);
      let outcome: unknown;
      try {
        outcome = await runware.imageInference(image, options as never).then(
          () => 'resolved',
          (error: unknown) => error,
        );
      } catch (thrown) {
        outcome = { thrownSynchronously: String(thrown) };
      }
      expect(outcome).toEqual(expect.objectContaining({ code: 'validation', parameter: 'options' }));
    });
  }
});
