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

/** The same, resolving with the exit code and output even when the example fails. */
function runExampleSettled(file: string, env: Record<string, string>) {
  return runExample(file, env).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}

async function demoOutput(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'runware-demo-'));
  temporary.push(out);
  return out;
}

describe('examples', () => {
  it('the demo writes decodable images of the requested sizes and a video to the output folder', async () => {
    const out = await demoOutput();
    const { stdout } = await runExample('examples/demo.ts', { DEMO_OUT: out });
    expect(stdout).toContain('Using the embedded Runware simulator');
    // A first run says how to make the real thing.
    expect(stdout).toMatch(/^Using the embedded Runware simulator at \S+ \(set RUNWARE_API_KEY to use the Runware API\)$/m);
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
    // Each file is labelled with what it contains, read from its bytes: the simulator encodes
    // the 1280×720 video request at 480×270, and the demo says it is not the size asked for,
    // where the result is shown (its row, and the list of files); a file of the size asked for
    // has no such note.
    expect(stdout).toMatch(/waves-1\.mp4 {2}MP4 480×270, 2\.0 s, 24 frames \(not the 1280×720 asked for\) {2}\(/);
    expect(stdout).toMatch(/^ {2}waves .* saved 1: MP4 480×270, 2\.0 s, 24 frames \(not the 1280×720 asked for\)$/m);
    expect(stdout).toMatch(/lighthouse-1\.png {2}PNG 1024×1024 {2}\(/);
    expect(stdout.match(/asked for/g)).toHaveLength(2);
    // Its stdout is a pipe, not a terminal: the progress is a log in the order things happened,
    // each job's queued line first, the times never going back.
    const log = stdout.slice(0, stdout.indexOf('\nWrote')).split('\n').flatMap((line) => {
      const match = /^ {2}(\S+) +.+? +(\d+\.\d)s {2}(.+)$/.exec(line);
      return match === null ? [] : [{ name: match[1], seconds: Number(match[2]), state: match[3] }];
    });
    expect(log.slice(0, 5)).toEqual(['lighthouse', 'fox', 'cabin', 'koi', 'waves'].map((name) => ({ name, seconds: 0, state: 'queued' })));
    expect(log.slice(5).map((entry) => entry.state)).not.toContain('queued');
    const times = log.map((entry) => entry.seconds);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(stdout).not.toContain('placeholder');
  });

  it('pointed by RUNWARE_URL at a simulator on this machine, says so and labels the placeholders it got', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 100 });
    const out = await demoOutput();
    const { stdout } = await runExample('examples/demo.ts', { DEMO_OUT: out, RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-local-key' });
    expect(stdout).toContain(`Using a Runware simulator at ${sim.url} (RUNWARE_URL is on this machine).`);
    expect(stdout).not.toContain('Runware API');
    expect(stdout).toMatch(/waves-1\.mp4 {2}MP4 16×16, 0\.1 s, 1 frame \(not the 1280×720 asked for\) {2}\(/);
    expect(stdout).toMatch(/lighthouse-1\.png {2}PNG 8×8 \(not the 1024×1024 asked for\) {2}\(/);
    expect(sim.stats().tasksReceived).toMatchObject({ imageInference: 4, videoInference: 1 });
  });

  it('given a remote RUNWARE_URL without a key, says what to set in one line, without a stack trace, and exits with 2', async () => {
    const result = await runExampleSettled('examples/demo.ts', { RUNWARE_URL: 'wss://ws-api.runware.ai/v1' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('RUNWARE_URL is wss://ws-api.runware.ai/v1, a remote server: set RUNWARE_API_KEY too.');
    expect(result.stdout).toBe('');
  });

  it('when every job fails, says that no file was written and why, and exits with 1', async () => {
    const sim = await simulator({ media: false, apiKey: 'the-right-key-1234' });
    const out = await demoOutput();
    const result = await runExampleSettled('examples/demo.ts', { DEMO_OUT: out, RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-wrong-key-5678' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No files were written.');
    expect(result.stdout).not.toMatch(/Wrote \d+ files? to/);
    expect(result.stderr).toContain('5 of 5 jobs failed:');
    for (const job of ['lighthouse', 'fox', 'cabin', 'koi', 'waves']) expect(result.stderr).toMatch(new RegExp(`^  ${job}: .+`, 'm'));
    expect(await readdir(out)).toEqual([]);
  });

  it('text-stream prints the streamed answer as it comes, then how it ended', async () => {
    const sim = await simulator({ media: false });
    const { stdout } = await runExample('examples/text-stream.ts', { RUNWARE_API_KEY: 'any-key', RUNWARE_URL: sim.url });
    // The simulator's answer repeats the question; it streamed over HTTP, without a socket session.
    expect(stdout).toMatch(/^.*You wrote: “What is a lighthouse for\?”.*\n\n\(stop, \d+ tokens\)\n$/s);
    expect(sim.stats().tasksReceived['textInference']).toBe(1);
    expect(sim.stats().sessions).toBe(0);
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
