/**
 * Runs one measurement in a fresh Node process (`bench/worker.ts` bundled to
 * bench/.build/worker.mjs by `prepareWorker()`, with `--expose-gc`), so that
 * clients never share a heap, a JIT state or an event loop. The child prints one `@@RESULT` line
 * of JSON; anything else it prints is kept for the error message. A child that overruns its
 * budget is killed.
 */
import { spawn } from 'node:child_process';
import { bundleEntry } from './bundle.js';
import { track } from './processes.js';

export const RESULT_PREFIX = '@@RESULT ';
export const ERROR_PREFIX = '@@ERROR ';

/** What a child is asked to do; the worker hands it to the scenario's `measure`. */
export interface ChildJob {
  readonly scenario: string;
  readonly client: string;
  /** Simulator URLs by role (`main`, `memory`, ...). */
  readonly urls: Readonly<Record<string, string>>;
  readonly apiKey: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The child gives up (and reports why) after this long; the parent kills it a little later. */
  readonly timeoutMs: number;
  /** Extra Node flags (bench/profile.ts: `--cpu-prof`, ...); never part of the job's JSON. */
  readonly nodeArgs?: readonly string[];
}

export type ChildOutcome<R> = { readonly ok: true; readonly value: R; readonly ms: number } | { readonly ok: false; readonly reason: string; readonly ms: number };

const KILL_MARGIN_MS = 5_000;

let workerFile: string | undefined;

/** Bundles the worker once per run; call before the first `runChild`. */
export async function prepareWorker(): Promise<void> {
  workerFile = await bundleEntry('bench/worker.ts');
}

function workerOf(): string {
  if (workerFile === undefined) throw new Error('prepareWorker() was not called');
  return workerFile;
}

export function runChild<R>(job: ChildJob): Promise<ChildOutcome<R>> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = track(
      spawn(process.execPath, ['--expose-gc', ...(job.nodeArgs ?? []), workerOf(), JSON.stringify(job)], {
        cwd: process.cwd(),
        // stdin stays open and unused: the worker exits when it closes (this process died).
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    let killedForTime = false;
    const timer = setTimeout(() => {
      killedForTime = true;
      child.kill('SIGKILL');
    }, job.timeoutMs + KILL_MARGIN_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start: ${error.message}`, ms: performance.now() - started });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const lines = stdout.split('\n');
      const result = lines.find((line) => line.startsWith(RESULT_PREFIX));
      const failure = lines.find((line) => line.startsWith(ERROR_PREFIX));
      if (result !== undefined && code === 0) {
        resolve({ ok: true, value: JSON.parse(result.slice(RESULT_PREFIX.length)) as R, ms });
      } else if (failure !== undefined) {
        resolve({ ok: false, reason: failure.slice(ERROR_PREFIX.length), ms });
      } else if (killedForTime) {
        resolve({ ok: false, reason: `killed after ${Math.round(job.timeoutMs / 1000)} s without a result`, ms });
      } else {
        const tail = stderr.trim().split('\n').slice(-3).join(' / ');
        resolve({ ok: false, reason: `exited (${code ?? signal}) without a result${tail ? `: ${tail}` : ''}`, ms });
      }
    });
  });
}
