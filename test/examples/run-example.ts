import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterEach } from 'vitest';

/*
 * Examples run as users run them: `tsx --tsconfig tsconfig.node.json examples/<file>`, in a
 * child process, with RUNWARE_API_KEY and RUNWARE_URL removed from the environment unless the
 * test sets them (so an example starts its embedded simulator unless told otherwise).
 *
 * tsx runs the example in a process of its own under the tsx process: it relays SIGINT and
 * SIGTERM to it, but SIGKILL cannot be relayed. So each example starts in a process group of its
 * own, and killing means killing that group: nothing is left running after a test.
 */

export const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  const pending = cleanups.splice(0).reverse();
  for (const cleanup of pending) await cleanup();
});

/** Runs `cleanup` after the current test, whether it passed or failed (last registered, first run). */
export function afterThisTest(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** The environment of an example: this process's, without Runware settings, plus `env`. */
export function exampleEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { RUNWARE_API_KEY: _key, RUNWARE_URL: _url, ...inherited } = process.env;
  return { ...inherited, ...env };
}

/** The command line of an example file (relative to the repository). */
export function exampleCommand(file: string, args: readonly string[] = []): [string, string[]] {
  return [tsx, ['--tsconfig', join(root, 'tsconfig.node.json'), join(root, file), ...args]];
}

/** What a finished example printed, and how it exited. */
export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an example to its end (bounded: killed after `timeout` ms), `input` on its standard input,
 * and resolves with its exit code and output, whether it succeeded or not.
 */
export function runExample(file: string, options: { env?: Record<string, string>; args?: readonly string[]; input?: string; timeout?: number } = {}): Promise<Finished> {
  const [command, args] = exampleCommand(file, options.args);
  const child = spawn(command, args, { cwd: root, env: exampleEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Standard input is what the test gives, then its end (never a terminal left open).
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.timeout ?? 120_000);
  return new Promise((resolve) => {
    // 'close' comes once every process holding the output has exited: tsx and the example.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr });
    });
  });
}

/** Sends a signal to the process group an example was started in (the tsx process and the example). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // The group is gone already.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** A long-running example (a server, a worker), its output read line by line. */
export interface Running {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the first stdout line (seen or to come) that matches, or rejects if the process exits first. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the example has exited (and the tsx process with it). */
  exited(): Promise<number | null>;
  /** Kills the example and its tsx process at once, as a crash or `kill -9` would. */
  kill(): Promise<void>;
}

/**
 * Starts an example that keeps running; it is killed (its process group, SIGKILL) after the
 * test if still alive. SIGTERM for a graceful stop goes to `child`, which relays it.
 */
export function startExample(file: string, options: { env?: Record<string, string>; args?: readonly string[] } = {}): Running {
  const [command, args] = exampleCommand(file, options.args);
  const child = spawn(command, args, { cwd: root, env: exampleEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void; reject: (error: Error) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(line);
      if (match === null) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  });
  void exit.then((code) => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${file} exited (${code}) before printing ${waiter.pattern}: ${stderr}`));
  });
  let closed = false;
  void exit.then(() => (closed = true));
  const kill = async (): Promise<void> => {
    if (!closed) killGroup(child.pid, 'SIGKILL');
    await exit;
  };
  afterThisTest(kill);
  return {
    child,
    lines,
    stderr: () => stderr,
    line(pattern) {
      for (const seen of lines) {
        const match = pattern.exec(seen);
        if (match !== null) return Promise.resolve(match);
      }
      if (closed) return Promise.reject(new Error(`${file} has exited: ${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
    exited: () => exit,
    kill,
  };
}

/** A temporary folder, removed after the test. */
export async function temporaryFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  afterThisTest(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** Reads one URL's bytes (the simulator's media). */
export async function download(url: string | undefined): Promise<Buffer> {
  if (url === undefined) throw new Error('no URL');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The value after `label: ` on the line that starts with it. */
export function valueAfter(stdout: string, label: string): string {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${label}: `));
  if (line === undefined) throw new Error(`no line "${label}: …" in:\n${stdout}`);
  return line.slice(label.length + 2);
}
