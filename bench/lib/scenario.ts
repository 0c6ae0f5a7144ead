/**
 * What a scenario is: how each client is measured in its child process (`measure`), what the
 * orchestrator runs (`plan`), and how medians become tables and MET/MISSED lines (`report`).
 */
import type { SimulatorProfile } from 'runware-rx/simulator';
import type { ClientFactory, ClientName } from '../clients/types.js';
import type { SimulatorFlags } from './simulator.js';
import type { Table } from './table.js';

/** The simulator profiles every scenario runs against, in the order they are printed. */
export const BENCH_PROFILES: readonly SimulatorProfile[] = ['default', 'realistic'];

export interface MeasureContext {
  readonly client: ClientName;
  readonly factory: ClientFactory;
  readonly urls: Readonly<Record<string, string>>;
  readonly apiKey: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Results of every repetition of one client; failures keep their reason for the "n/a" cell. */
export interface ClientRuns<R> {
  readonly values: R[];
  readonly failures: string[];
  /** Set when later repetitions were skipped after a failure. */
  skipped?: string;
}

export type Runs<R> = ReadonlyMap<ClientName, ClientRuns<R>>;

export interface TargetLine {
  /** `undefined`: could not be judged (no data). */
  readonly met: boolean | undefined;
  readonly text: string;
}

/** One line of the closing summary: a key figure of a scenario, per client. */
export interface KeyFigure {
  readonly metric: string;
  readonly cells: Readonly<Partial<Record<ClientName, string>>>;
}

export interface Report {
  readonly tables: readonly Table[];
  readonly targets: readonly TargetLine[];
  /** The figures the closing summary (and the README) quote, in order. */
  readonly key?: readonly KeyFigure[];
}

export interface Scenario<R> {
  readonly id: string;
  readonly title: string;
  /**
   * Simulators by role for one profile, each started fresh for this scenario in its own process
   * (the harness adds `--profile`).
   */
  simulators(profile: SimulatorProfile): Readonly<Record<string, SimulatorFlags>>;
  readonly reps: number;
  readonly clients: readonly ClientName[];
  /** Per client and profile: the child's parameters and its time budget. */
  plan(client: ClientName, profile: SimulatorProfile): { readonly params: Record<string, unknown>; readonly timeoutMs: number };
  /** Runs in the child process: one repetition for one client. */
  measure(context: MeasureContext): Promise<R>;
  /** Tables, targets and key figures of one profile; the harness sets the profiles side by side. */
  report(runs: Runs<R>, profile: SimulatorProfile): Report;
}

/** An API key the simulators are started with (`--api-key`), so a wrong one is really wrong. */
export const BENCH_API_KEY = 'bench-key';

/** Rejects after `ms` with `message`; the timer never keeps the process alive on its own. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The runs of one client, or `undefined` when it produced no value. */
export function valuesOf<R>(runs: Runs<R>, client: ClientName): R[] | undefined {
  const entry = runs.get(client);
  return entry === undefined || entry.values.length === 0 ? undefined : entry.values;
}

/**
 * The note cell of a client's row: why it has no figure ("n/a: ..."), or how many repetitions
 * failed beside the ones that count; `undefined` when every repetition succeeded.
 */
export function noteFor<R>(runs: Runs<R>, client: ClientName): string | undefined {
  const entry = runs.get(client);
  if (entry === undefined) return 'not run';
  const reason = (entry.failures[0] ?? entry.skipped ?? 'no result').replace(/\|/g, '/');
  if (entry.values.length === 0) return `n/a: ${reason}`;
  if (entry.failures.length > 0) return `${entry.failures.length} repetition(s) failed: ${reason}`;
  return undefined;
}

export function targetLine(met: boolean | undefined, text: string): TargetLine {
  return { met, text };
}

export function renderTarget(line: TargetLine): string {
  const tag = line.met === undefined ? 'UNKNOWN' : line.met ? 'MET' : 'MISSED';
  return `${tag.padEnd(7)} ${line.text}`;
}
