import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processTicks, waitForSettled } from '../../bench/lib/load.js';

/*
 * The bench's wait for its simulators to settle before each child (bench/lib/load.ts): it waits
 * while a watched process burns CPU, leaves out a process that cannot be read instead of giving
 * up on the others, and says so when it can watch nothing at all. The CPU readings are scripted
 * (a reader that counts its calls), so nothing depends on how busy this machine is; one test
 * reads a real spinning process through /proc.
 */

/** A reader of CPU ticks: `busyReads` readings of +50 ticks each (a core and more over any window), then none. */
const scripted = (busyReads: number, unreadable: ReadonlySet<number> = new Set()) => {
  let reads = 0;
  let ticks = 0;
  const read = (pid: number): number | undefined => {
    if (unreadable.has(pid)) return undefined;
    reads += 1;
    if (reads <= busyReads) ticks += 50;
    return ticks;
  };
  return { read, reads: () => reads };
};

describe('the bench waits for its simulators to settle', () => {
  it('keeps watching while the processes are busy, and resolves at the first quiet window', async () => {
    // Each window reads twice (at its start and its end): busy through the first two windows.
    const reader = scripted(4);
    const settling = await waitForSettled([101], 60_000, reader.read);
    expect(settling).toMatchObject({ watched: 1, settled: true });
    expect(settling.waitedMs).toBeGreaterThan(0);
    expect(reader.reads()).toBe(6);
  });

  it('leaves out a process that cannot be read and still watches the others', async () => {
    const reader = scripted(4, new Set([102]));
    expect(await waitForSettled([102, 101], 60_000, reader.read)).toMatchObject({ watched: 1, settled: true });
    expect(reader.reads()).toBe(6);
  });

  it('says it watched nothing when no process can be read (every one gone, or no /proc), and does not wait', async () => {
    const reader = scripted(100, new Set([101, 102]));
    expect(await waitForSettled([101, 102], 60_000, reader.read)).toMatchObject({ watched: 0, settled: true });
    expect(reader.reads()).toBe(0);
  });

  it('gives up after maxWaitMs on a process that stays busy, and says so', async () => {
    const reader = scripted(Number.POSITIVE_INFINITY);
    expect(await waitForSettled([101], 300, reader.read)).toMatchObject({ watched: 1, settled: false });
  });
});

describe.runIf(existsSync('/proc/self/stat'))('the settle wait on /proc', () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill('SIGKILL'));

  it('reads the CPU time of a spinning process as it grows, and a pid that does not exist as unreadable', async () => {
    child = spawn(process.execPath, ['-e', "process.stdout.write('spinning\\n'); for (;;);"], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child!.stdout!.once('data', () => resolve()));
    const first = processTicks(child.pid!);
    expect(first).toEqual(expect.any(Number));
    // However busy this machine, a spinning process gets some ticks: wait for them (bounded).
    let later = first;
    for (let round = 0; round < 200 && later === first; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      later = processTicks(child.pid!);
    }
    expect(later).toBeGreaterThan(first!);
    expect(processTicks(2 ** 22 + 17)).toBeUndefined();
  });
});
