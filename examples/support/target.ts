/*
 * Where the examples' requests go, written once: the embedded simulator unless RUNWARE_API_KEY
 * or RUNWARE_URL is set; a URL on this machine is a simulator (any key), anything else the
 * Runware API (which spends credits).
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_URL } from 'runware-rx';
import type { Simulator, SimulatorOptions } from 'runware-rx/simulator';
import { startSimulator } from 'runware-rx/simulator';

/** Where the requests go, named for what it is. */
export type Target =
  | { readonly kind: 'embedded' }
  | { readonly kind: 'local'; readonly url: string; readonly apiKey: string }
  | { readonly kind: 'api'; readonly url: string; readonly apiKey: string };

/** Hosts that are this machine: a server there is a simulator (or a stand-in), not Runware. */
const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' ||
  hostname.endsWith('.localhost') ||
  /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
  hostname === '[::1]' ||
  hostname === '0.0.0.0';

/**
 * Picks the target from the environment: no key and no URL runs the embedded simulator; a URL
 * on this machine is a simulator (any key will do); otherwise the Runware API, which needs a key.
 *
 * @param env `RUNWARE_API_KEY` and `RUNWARE_URL`.
 * @returns The target.
 * @throws {Error} When a remote URL is given without a key.
 */
export function chooseTarget(env: { readonly RUNWARE_API_KEY?: string | undefined; readonly RUNWARE_URL?: string | undefined }): Target {
  const { RUNWARE_API_KEY: apiKey, RUNWARE_URL: url } = env;
  if (apiKey === undefined && url === undefined) return { kind: 'embedded' };
  const target = url ?? DEFAULT_URL;
  if (isLoopback(new URL(target).hostname)) return { kind: 'local', url: target, apiKey: apiKey ?? 'demo-key' };
  if (apiKey === undefined) throw new Error(`RUNWARE_URL is ${target}, a remote server: set RUNWARE_API_KEY too.`);
  return { kind: 'api', url: target, apiKey };
}

/**
 * The target of this process's environment, as {@link chooseTarget} picks it; a setting it
 * refuses ends the process with its one sentence (exit code 2), not a stack trace: it is a
 * mistake in the command line, not in the example.
 *
 * @param env The environment to read; default `process.env`.
 * @returns The target.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  try {
    return chooseTarget({ RUNWARE_API_KEY: env['RUNWARE_API_KEY'], RUNWARE_URL: env['RUNWARE_URL'] });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
}

/**
 * The line an example starts with.
 *
 * @param target Where the requests go.
 * @param url The URL in use (the embedded simulator's, once started).
 * @returns The sentence.
 */
export function describeTarget(target: Target, url: string): string {
  switch (target.kind) {
    case 'embedded':
      return `Using the embedded Runware simulator at ${url} (set RUNWARE_API_KEY to use the Runware API)`;
    case 'local':
      return `Using a Runware simulator at ${target.url} (RUNWARE_URL is on this machine).`;
    case 'api':
      return `Using the Runware API at ${target.url} (RUNWARE_API_KEY is set): this spends credits.`;
  }
}

/** Where an example's requests go, ready to use: the key and URL for `createRunware`. */
export interface Started {
  readonly target: Target;
  readonly apiKey: string;
  readonly url: string;
  /** The embedded simulator, when the example started one. */
  readonly simulator: Simulator | undefined;
  /** The line an example starts with, saying where its requests go. */
  readonly line: string;
  /** Closes the embedded simulator, if any. */
  stop(): Promise<void>;
}

/**
 * Starts what an example talks to, by the demo's rule: the embedded simulator unless
 * `RUNWARE_API_KEY` or `RUNWARE_URL` is set. The embedded simulator accepts only a key of its
 * own, so a wrong key is refused there as by the API.
 *
 * @param options Options of the embedded simulator (its latencies), ignored otherwise.
 * @param env The environment to read; default `process.env`.
 * @returns The key, URL and simulator.
 */
export async function startTarget(options: SimulatorOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<Started> {
  const target = targetFromEnv(env);
  if (target.kind !== 'embedded') {
    return { target, apiKey: target.apiKey, url: target.url, simulator: undefined, line: describeTarget(target, target.url), stop: async () => {} };
  }
  const apiKey = randomBytes(16).toString('hex');
  const simulator = await startSimulator({ ...options, apiKey });
  return { target, apiKey, url: simulator.url, simulator, line: describeTarget(target, simulator.url), stop: () => simulator.close() };
}
