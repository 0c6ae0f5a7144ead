import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { simulator } from '../support/simulator.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const temporary: string[] = [];

afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs an example as a user would, with only the given environment on top of a clean one. */
function runExample(file: string, env: Record<string, string>) {
  const { RUNWARE_API_KEY: _key, RUNWARE_URL: _url, ...inherited } = process.env;
  return run(tsx, ['--tsconfig', join(root, 'tsconfig.node.json'), join(root, file)], {
    cwd: root,
    env: { ...inherited, ...env },
    timeout: 60_000,
  });
}

describe('examples', () => {
  it('the demo writes decodable images of the requested sizes and a video to the output folder', async () => {
    const out = await mkdtemp(join(tmpdir(), 'runware-demo-'));
    temporary.push(out);
    const { stdout } = await runExample('examples/demo.ts', { DEMO_OUT: out });
    expect(stdout).toContain('Using the embedded Runware simulator');
    const files = (await readdir(out)).sort();
    expect(files).toEqual(['cabin-1.webp', 'fox-1.jpg', 'koi-1.png', 'koi-2.png', 'lighthouse-1.png', 'waves-1.mp4']);
    const expected: Record<string, [string, number, number]> = {
      'cabin-1.webp': ['webp', 512, 768],
      'fox-1.jpg': ['jpeg', 768, 512],
      'koi-1.png': ['png', 640, 640],
      'koi-2.png': ['png', 640, 640],
      'lighthouse-1.png': ['png', 1024, 1024],
    };
    for (const [file, [format, width, height]] of Object.entries(expected)) {
      expect(await sharp(await readFile(join(out, file))).metadata(), file).toMatchObject({ format, width, height });
    }
    const video = await readFile(join(out, 'waves-1.mp4'));
    expect(video.subarray(4, 8).toString('latin1')).toBe('ftyp');
    for (const file of files) expect(stdout).toContain(file);
  });

  it('the README quick start is examples/quick-start.ts, and it prints an image URL', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const example = await readFile(join(root, 'examples/quick-start.ts'), 'utf8');
    expect(readme).toContain(example.trim());
    const sim = await simulator();
    const { stdout } = await runExample('examples/quick-start.ts', { RUNWARE_API_KEY: 'any-key', RUNWARE_URL: sim.url });
    expect(stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f-]+\.jpg$/);
  });
});
