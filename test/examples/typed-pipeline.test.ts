import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';
import { download, runExample, valueAfter } from './run-example.js';

/*
 * examples/typed-pipeline as a child process against a simulator of the test's (its types are
 * proven by test/types/typed-pipeline.test-d.ts, in the typecheck).
 */

describe('examples/typed-pipeline', () => {
  it('upscales the first generated image by its URL, with promises and as a stream', async () => {
    const sim = await simulator();
    const { code, stdout, stderr } = await runExample('examples/typed-pipeline/main.ts', { env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-local-key' } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const upscales = sim.receivedTasks().filter((task) => task['taskType'] === 'upscale');
    expect(upscales).toHaveLength(2);
    for (const [index, form] of ['promises', 'stream'].entries()) {
      const generated = valueAfter(stdout, `${form} generated`);
      const upscaled = valueAfter(stdout, `${form} upscaled`);
      expect(await sharp(await download(generated)).metadata()).toMatchObject({ width: 512, height: 384 });
      expect(await sharp(await download(upscaled)).metadata()).toMatchObject({ width: 1024, height: 768 });
      // Sent by its URL, as the example says.
      expect(upscales[index]).toMatchObject({ inputImage: generated, upscaleFactor: 2 });
    }
  });
});
