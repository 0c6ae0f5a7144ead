import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';
import { download, runExample, temporaryFolder, valueAfter } from './run-example.js';

/* examples/concurrent.ts as a child process: as it is, and on a photo of the test's against a simulator of the test's. */

const file = 'examples/concurrent.ts';
const labels = ['Promise.all', 'forkJoin'];

describe('examples/concurrent', () => {
  it('run as it is, makes the three results twice, with Promise.all and with forkJoin', async () => {
    const { code, stdout, stderr } = await runExample(file);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const label of labels) {
      expect(valueAfter(stdout, `${label} generated`)).toMatch(/\/media\/[0-9a-f-]+\.jpg$/);
      expect(valueAfter(stdout, `${label} upscaled`)).toMatch(/\/media\/[0-9a-f-]+\.jpg$/);
      expect(valueAfter(stdout, `${label} cut out`)).toMatch(/\/media\/[0-9a-f-]+\.png$/);
    }
  });

  it('over one connection, upscales the given photo 4× and cuts its subject out of the background', async () => {
    const folder = await temporaryFolder('runware-concurrent-');
    const photo = join(folder, 'photo.jpg');
    // A dark green square on a plain light background: the simulator's cut-out rule is exact on it.
    const subject = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#206040' } }).png().toBuffer();
    await sharp({ create: { width: 120, height: 90, channels: 3, background: '#e8e4dc' } })
      .composite([{ input: subject, left: 40, top: 30 }])
      .jpeg({ quality: 95 })
      .toFile(photo);
    const sim = await simulator();
    const { code, stdout } = await runExample(file, { args: [photo], env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-local-key' } });
    expect(code).toBe(0);

    for (const label of labels) {
      expect(await sharp(await download(valueAfter(stdout, `${label} generated`))).metadata()).toMatchObject({ width: 512, height: 512 });
      expect(await sharp(await download(valueAfter(stdout, `${label} upscaled`))).metadata()).toMatchObject({ width: 480, height: 360 });
      const cutOut = sharp(await download(valueAfter(stdout, `${label} cut out`)));
      expect(await cutOut.metadata()).toMatchObject({ format: 'png', width: 120, height: 90, hasAlpha: true });
      const { data, info } = await cutOut.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const alphaAt = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3];
      expect([alphaAt(5, 5), alphaAt(110, 80), alphaAt(60, 45)]).toEqual([0, 0, 255]);
    }
    // Six tasks, one authentication: everything went over one connection.
    expect(sim.stats().tasksReceived).toEqual({ authentication: 1, imageInference: 2, upscale: 2, removeBackground: 2 });
  });
});
