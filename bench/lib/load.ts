/**
 * CPU used by other processes while a scenario runs. On a shared 2-core machine a test suite
 * running beside the benchmark takes a core from the client or the simulator and skews every
 * figure, so the orchestrator waits (bounded) for a quiet machine before each scenario and
 * reports what other processes used during it.
 *
 * Linux only (reads /proc): the machine's busy time minus this process's own time and that of
 * its children once they have exited (`cutime`/`cstime`, which cover every worker and simulator
 * the orchestrator started and reaped). Elsewhere every reading is `undefined`.
 */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second as /proc reports them (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  readonly at: number;
  /** Busy ticks of the whole machine. */
  readonly machine: number;
  /** Ticks of this process plus its reaped children. */
  readonly own: number;
}

export function sampleCpu(): CpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime field 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const [utime, stime, cutime, cstime] = fields.slice(11, 15);
    return {
      at: performance.now(),
      machine: user! + nice! + system! + irq! + softirq!,
      own: utime! + stime! + cutime! + cstime!,
    };
  } catch {
    return undefined;
  }
}

/** Cores used by other processes between two samples (0 = idle machine, 1 = one core busy). */
export function foreignCores(from: CpuSample | undefined, to: CpuSample | undefined): number | undefined {
  if (from === undefined || to === undefined || to.at <= from.at) return undefined;
  const ticks = to.machine - from.machine - (to.own - from.own);
  return Math.max(0, ticks / TICKS_PER_SECOND / ((to.at - from.at) / 1000));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until other processes use less than `threshold` cores over a 1 s sample, for at most
 * `maxWaitMs`. Resolves with the last reading and how long it waited.
 */
export async function waitForQuiet(threshold: number, maxWaitMs: number): Promise<{ cores: number | undefined; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const from = sampleCpu();
    await sleep(1000);
    const cores = foreignCores(from, sampleCpu());
    const waitedMs = performance.now() - started;
    if (cores === undefined || cores < threshold || waitedMs >= maxWaitMs) return { cores, waitedMs };
  }
}

/** CPU ticks (user + system) one process has used, or `undefined` without /proc or once it has gone. */
export function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return fields[11]! + fields[12]!;
  } catch {
    return undefined;
  }
}

/** A process counts as settled once it uses less than this share of a core over one window. */
const SETTLED_CORES = 0.05;
/** The window a settled process is observed over, in ms (/proc counts in 10 ms ticks). */
const SETTLE_WINDOW_MS = 200;

export interface Settling {
  /** How long it waited beyond the first window (0 when the processes were settled already). */
  readonly waitedMs: number;
  /** How many of the processes could be watched: 0 without /proc, or when every one had gone. */
  readonly watched: number;
  /** False when `maxWaitMs` ran out first. */
  readonly settled: boolean;
}

/**
 * Waits until the given processes (the scenario's simulators) have settled: together below
 * 5 % of a core over a 200 ms window, for at most `maxWaitMs`. A child that exits does not take
 * its load on the simulators with it: the memory phase of the concurrent scenarios leaves the
 * memory simulator reading 10,000 submissions for about half a second after the child has
 * gone, and without this wait that work lands on the next child's timed phase.
 *
 * A process that cannot be read (gone, or no /proc) is left out rather than ending the wait: one
 * dead simulator must not stop the others being watched. Each window counts only the processes
 * readable at both its ends. Linux only: elsewhere nothing is watched and it resolves at once.
 */
export async function waitForSettled(pids: readonly number[], maxWaitMs: number, readTicks: (pid: number) => number | undefined = processTicks): Promise<Settling> {
  const started = performance.now();
  const readAll = (): Map<number, number> => {
    const ticks = new Map<number, number>();
    for (const pid of pids) {
      const value = readTicks(pid);
      if (value !== undefined) ticks.set(pid, value);
    }
    return ticks;
  };
  for (;;) {
    const from = readAll();
    const windowStarted = performance.now();
    const beyondFirst = windowStarted - started;
    if (from.size === 0) return { waitedMs: beyondFirst, watched: 0, settled: true };
    await sleep(SETTLE_WINDOW_MS);
    const to = readAll();
    let used = 0;
    for (const [pid, before] of from) {
      const after = to.get(pid);
      if (after !== undefined) used += after - before;
    }
    const cores = used / TICKS_PER_SECOND / ((performance.now() - windowStarted) / 1000);
    if (cores < SETTLED_CORES) return { waitedMs: beyondFirst, watched: from.size, settled: true };
    if (performance.now() - started >= maxWaitMs) return { waitedMs: beyondFirst, watched: from.size, settled: false };
  }
}
