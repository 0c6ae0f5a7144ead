import { describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';
import { download, runExample, valueAfter } from './run-example.js';

/*
 * examples/video.ts as a child process, pointed by RUNWARE_URL at a simulator of the test's, so
 * that the test can read the videos it made and what it was sent.
 */

describe('examples/video', () => {
  it('waits for one video, then reports the progress of three at once, and every video plays', async () => {
    const sim = await simulator({ videoReadyAfterMs: 2500 });
    const { code, stdout, stderr } = await runExample('examples/video.ts', { env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-local-key' } });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const urls = [valueAfter(stdout, 'video')];
    for (const name of ['forest', 'city', 'comet']) {
      expect(stdout).toMatch(new RegExp(`^\\[${name}\\] accepted as [0-9a-f-]{36}$`, 'm'));
      // The simulator reports progress on its polls (its default profile), and the example shows it.
      expect(stdout).toMatch(new RegExp(`^\\[${name}\\] processing, \\d+ % \\(poll 1\\)$`, 'm'));
      urls.push(valueAfter(stdout, `[${name}] ready`));
    }
    expect(stdout.trim().split('\n').at(-1)).toBe('All videos are ready.');
    expect(new Set(urls).size).toBe(4);
    for (const url of urls) expect((await download(url)).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(sim.stats().tasksReceived).toMatchObject({ authentication: 1, videoInference: 4 });
    expect(sim.stats().tasksReceived['getResponse']).toBeGreaterThanOrEqual(4);
  }, 90_000);
});
