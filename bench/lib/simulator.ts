/**
 * Runs the simulator in fast mode in a process of its own (bench/simulator-server.ts: the CLI's
 * `--fast --port 0`, plus exiting when its stdin closes), so the server never competes with the
 * client under test for the same event loop, and never outlives the orchestrator.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ModelReadinessOptions, SimulatorProfile } from 'runware-rx/simulator';
import { TS_ENV, TS_NODE_ARGS, track } from './processes.js';

export interface SimulatorFlags {
  /** `--profile`: the simulator's delivery profile (default: the simulator's own default). */
  readonly profile?: SimulatorProfile;
  /** `--latency-spread`: overrides the profile's spread of latencies per task (0: the median). */
  readonly latencySpread?: number;
  /** `--generation-spread`: overrides the profile's spread per generation (0: none). */
  readonly generationSpread?: number;
  /** `--video-seconds`: time from an async submission until its result is ready. */
  readonly videoSeconds?: number;
  /** `--image-latency`: delay before each image result, in ms (memory runs keep tasks in flight with it). */
  readonly imageLatencyMs?: number;
  /** `--api-key`: accept only this key (the wrong-key scenario). */
  readonly apiKey?: string;
  /** The simulator's `modelReadiness` (no CLI flag: bench/simulator-server.ts takes it as JSON). */
  readonly modelReadiness?: ModelReadinessOptions;
}

export interface SimulatorProcess {
  readonly url: string;
  readonly pid: number;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
/** The one bench-only flag of bench/simulator-server.ts. */
export const MODEL_READINESS_FLAG = '--bench-model-readiness';
const STOP_GRACE_MS = 3_000;

export function simulatorArgs(flags: SimulatorFlags): string[] {
  const args = ['bench/simulator-server.ts'];
  if (flags.profile !== undefined) args.push('--profile', flags.profile);
  if (flags.latencySpread !== undefined) args.push('--latency-spread', String(flags.latencySpread));
  if (flags.generationSpread !== undefined) args.push('--generation-spread', String(flags.generationSpread));
  if (flags.videoSeconds !== undefined) args.push('--video-seconds', String(flags.videoSeconds));
  if (flags.imageLatencyMs !== undefined) args.push('--image-latency', String(flags.imageLatencyMs));
  if (flags.apiKey !== undefined) args.push('--api-key', flags.apiKey);
  if (flags.modelReadiness !== undefined) args.push(MODEL_READINESS_FLAG, JSON.stringify(flags.modelReadiness));
  return args;
}

/** Starts a simulator and resolves with its URL once it printed it (bounded by a timeout). */
export async function launchSimulator(flags: SimulatorFlags = {}): Promise<SimulatorProcess> {
  const child = track(
    spawn(process.execPath, [...TS_NODE_ARGS, ...simulatorArgs(flags)], {
      cwd: process.cwd(),
      env: { ...process.env, ...TS_ENV },
      // Our end of stdin is never written; it closes when this process dies, and so does the server.
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`simulator did not print its URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        resolve(line.trim());
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`simulator exited (${code}) before printing its URL: ${stderr.trim()}`));
      });
    });
    if (!url.startsWith('ws://')) throw new Error(`unexpected simulator output: ${url}`);
    return { url, pid: child.pid ?? -1, close };
  } catch (error) {
    await close();
    throw error;
  }
}
