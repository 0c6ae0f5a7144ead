import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { CLI_USAGE, parseCliArgs } from '../../src/simulator/cli-args.js';
import { authenticate, openClient } from './support/raw-client.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('runware-simulator CLI: argument parsing', () => {
  it('uses port 8080 and real media by default', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'start', options: { port: 8080 }, verbose: false });
  });

  it('maps every flag to its simulator option', () => {
    const command = parseCliArgs([
      '--host', '0.0.0.0', '--port', '0', '--api-key', 'k', '--video-seconds', '1.5', '--image-latency', '20', '--fast', '--verbose',
    ]);
    expect(command).toEqual({
      kind: 'start',
      options: { host: '0.0.0.0', port: 0, apiKey: 'k', videoReadyAfterMs: 1500, imageLatencyMs: 20, media: false },
      verbose: true,
    });
  });

  it('maps the delivery flags, which override the profile one by one', () => {
    const command = parseCliArgs([
      '--profile', 'realistic', '--framing', 'batched', '--latency-spread', '0.2', '--generation-spread', '0', '--latency-seed', '7', '--progress',
    ]);
    expect(command).toEqual({
      kind: 'start',
      options: { port: 8080, profile: 'realistic', framing: 'batched', latencySpread: 0.2, generationSpread: 0, latencySeed: 7, progress: true },
      verbose: false,
    });
    expect(parseCliArgs(['--no-progress'])).toEqual({ kind: 'start', options: { port: 8080, progress: false }, verbose: false });
    expect(parseCliArgs(['--failure-shape', 'data'])).toEqual({ kind: 'start', options: { port: 8080, failureShape: 'data' }, verbose: false });
  });

  it('lists every delivery flag in --help with both profiles\' values', () => {
    for (const flag of ['--profile', '--framing', '--latency-spread', '--generation-spread', '--latency-seed', '--no-progress']) {
      expect(CLI_USAGE).toContain(flag);
    }
    expect(CLI_USAGE).toContain('(default batched; realistic per-result)');
  });

  it('recognises --help and -h', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h', '--port', 'nonsense'])).toEqual({ kind: 'help' });
    expect(CLI_USAGE).toContain('--video-seconds');
  });

  it.each([
    [['--port', '70000'], /--port must be an integer/],
    [['--port', 'abc'], /--port/],
    [['--video-seconds', '-1'], /--video-seconds/],
    [['--image-latency', ''], /--image-latency/],
    [['--api-key', ''], /--api-key/],
    [['--profile', 'fast'], /--profile must be one of default, realistic/],
    [['--framing', 'bursts'], /--framing must be one of batched, mixed, per-result/],
    [['--latency-spread', '3'], /--latency-spread/],
    [['--generation-spread', '-0.1'], /--generation-spread/],
    [['--latency-seed', '1.5'], /--latency-seed/],
    [['--failure-shape', 'nested'], /--failure-shape must be one of errors, data/],
    [['--unknown'], /unknown/i],
    [['positional'], /positional|unexpected/i],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('runware-simulator CLI: process', () => {
  it('prints its WebSocket URL on a line of its own, serves it, and exits on SIGTERM', async () => {
    const child = spawn('npx', ['tsx', 'src/simulator/cli.ts', '--port', '0', '--fast'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so the signal reaches tsx's node process behind npx.
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const lines = createInterface({ input: child.stdout });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the CLI printed no URL within 20 s')), 20_000);
        lines.on('line', (line) => {
          clearTimeout(timer);
          resolve(line);
        });
      });
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1$/);

      const client = await openClient(url);
      await expect(authenticate(client)).resolves.toEqual(expect.any(String));
      await client.close();
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    await exited;
    // The simulator's own handler ran (npx itself may report the signal instead of an exit code).
    await vi.waitFor(() => expect(stderr).toContain('Received SIGTERM, closing.'));
  });

  /** Runs the CLI (tsx, not npx, so the exit code is the CLI's) to its exit. */
  const runCli = async (args: readonly string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/cli.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stderr };
  };

  it('says in one line that it could not start (a port in use), with exit code 1 and no usage hint; a wrong flag gets the hint and 2', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const port = String((taken.address() as { port: number }).port);
      const busy = await runCli(['--port', port, '--fast']);
      expect(busy.code).toBe(1);
      expect(busy.stderr.trim()).toMatch(new RegExp(`^runware-simulator: could not start: .*EADDRINUSE.*${port}`));
      expect(busy.stderr).not.toContain('--help');
    } finally {
      taken.close();
    }
    const wrong = await runCli(['--port', 'abc']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Run with --help for usage.');
  });
});
