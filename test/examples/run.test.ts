import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startSimulator } from 'runware-rx/simulator';
import { exampleEnv, killGroup, root } from './run-example.js';

/* `npm run example -- <name>` (examples/run.ts): the one command the README gives for each example. */

function npmRunExample(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', '--silent', 'example', '--', ...args], { cwd: root, env: exampleEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('npm run example', () => {
  it('runs the quick start, unchanged, against a simulator it starts when no key or URL is set', async () => {
    const { code, stdout, stderr } = await npmRunExample(['quick-start']);
    expect(code).toBe(0);
    // The words every example that embeds a simulator starts with (on stderr: the quick start's stdout is its URL alone).
    expect(stderr).toMatch(/^Using the embedded Runware simulator at ws:\/\/127\.0\.0\.1:\d+\/v1 \(set RUNWARE_API_KEY to use the Runware API\)$/m);
    expect(stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f-]+\.jpg$/);
  });

  it('runs the quick start against a simulator on this machine named by RUNWARE_URL alone, with any key, as the demo does', async () => {
    const simulator = await startSimulator({ media: false });
    try {
      const { code, stdout, stderr } = await npmRunExample(['quick-start'], { RUNWARE_URL: simulator.url });
      expect(stderr).not.toContain('apiKey is required');
      expect(code).toBe(0);
      expect(stdout.trim()).toMatch(new RegExp(`^${simulator.httpUrl}/media/\\S+\\.jpg$`));
    } finally {
      await simulator.close();
    }
  });

  it('runs text-stream until its answer has streamed from the simulator it starts', async () => {
    const { code, stdout, stderr } = await npmRunExample(['text-stream', 'What is a harbour for?']);
    expect(stderr).not.toContain('RunwareError');
    expect(code).toBe(0);
    expect(stdout).toMatch(/You wrote: “What is a harbour for\?”.*\n\n\(stop, \d+ tokens\)\n$/s);
  });

  it('passes the arguments on to the example', async () => {
    const { code, stdout } = await npmRunExample(['concurrent', 'examples/assets/photo.jpg']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^forkJoin cut out: http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f-]+\.png$/m);
  });

  it('names the examples when asked for one that does not exist', async () => {
    const { code, stderr } = await npmRunExample(['no-such-example']);
    expect(code).toBe(2);
    expect(stderr).toContain('There is no example "no-such-example".');
    expect(stderr).toContain('Examples: quick-start, configuration, text-stream, video, concurrent, errors, web-api, batch-folder, typed-pipeline, prompt-stream, queue, demo, relay');
  });
});
