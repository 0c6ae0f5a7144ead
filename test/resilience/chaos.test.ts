import type { Observable } from 'rxjs';
import { lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { afterAll, expect, it } from 'vitest';
import type { RunwareError, TaskEvent } from 'runware-rx';
import type { DataItem } from 'runware-rx/operators';
import { createRunware, isRunwareError } from 'runware-rx';
import { startSimulator } from 'runware-rx/simulator';
import { KNOWN_DEFECTS } from '../support/known-defects.js';
import { describeEachProfile } from '../support/profiles.js';
import { FAST_RECOVERY } from '../support/resilient-client.js';
import { pause } from '../support/wait-for.js';

/*
 * Thousands of mixed image and video tasks while the simulator drops, freezes and corrupts the
 * connection at random (seeded, so a failure can be replayed). Every task must settle exactly
 * once, no result may be delivered twice, none may hang, every result the server produced must
 * have reached the client, and nothing may be left running after disconnect().
 */

/** Replay a failing run with CHAOS_SEED=<the seed it printed>. */
const SEED = Number(process.env['CHAOS_SEED'] ?? 20261124);
const IMAGES = 2400;
const VIDEOS = 300;
const CODES = new Set(['validation', 'auth', 'quota', 'rateLimit', 'safety', 'provider', 'timeout', 'notFound', 'serverError', 'connection', 'aborted', 'unknown']);

interface Outcome {
  readonly taskUUID: string;
  readonly expected: number;
  readonly results: readonly DataItem[];
  readonly failures: number;
  readonly error?: RunwareError;
  readonly settlements: number;
}

const resourceCounts = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
};

const reports: string[] = [];
afterAll(() => console.log(reports.join('\n')));

describeEachProfile('chaos', (profile) => {
  it('settles every task exactly once under random drops, freezes and garbage, and leaves nothing behind', async () => {
    const before = resourceCounts();
    const sim = await startSimulator({
      profile,
      media: false,
      imageLatencyMs: 20,
      videoReadyAfterMs: 400,
      faults: {
        seed: SEED,
        dropRate: 0.03,
        freezeRate: 0.015,
        authDelayRate: 0.2,
        authDelayMs: 700,
        garbageRate: 0.02,
        unroutableRate: 0.02,
        duplicateRate: 0.05,
        ackDropRate: 0.02,
        ackDelayRate: 0.03,
        ackDelayMs: 600,
        rateLimitRate: 0.01,
        serverErrorRate: 0.01,
        itemFailureRate: 0.02,
      },
    });
    const runware = createRunware({ apiKey: 'chaos', url: sim.url, ...FAST_RECOVERY, maxRetries: 10, timeout: 60_000, maxInFlight: 400 });

    const runTask = (index: number): Promise<Outcome> => {
      const isVideo = index % 9 === 0 && index / 9 < VIDEOS;
      const expected = 1 + (index % 2);
      const events$: Observable<TaskEvent> = isVideo
        ? runware.video$({ model: 'klingai:5@3', positivePrompt: `chaos video ${index}`, duration: 5, numberResults: expected }, { settled: true })
        : runware.image$({ model: 'runware:101@1', positivePrompt: `chaos image ${index}`, width: 256, height: 256, numberResults: expected }, { settled: true });
      return new Promise((resolve) => {
        let taskUUID = '';
        let failures = 0;
        let settlements = 0;
        const results: DataItem[] = [];
        events$.subscribe({
          next: (event: TaskEvent) => {
            taskUUID = event.taskUUID;
            if (event.type === 'result') results.push(event.item as DataItem);
            if (event.type === 'failed') failures += 1;
          },
          error: (error: RunwareError) => {
            settlements += 1;
            resolve({ taskUUID, expected, results, failures, error, settlements });
          },
          complete: () => {
            settlements += 1;
            resolve({ taskUUID, expected, results, failures, settlements });
          },
        });
      });
    };

    const started = performance.now();
    const total = IMAGES + VIDEOS;
    const settledOutcomes: Outcome[] = [];
    const submitted = await lastValueFrom(
      range(0, total).pipe(
        // Submitted in waves, so that faults strike while tasks are in every phase.
        mergeMap(async (index) => {
          if (index % 200 === 0) await pause(30);
          return runTask(index).then((outcome) => settledOutcomes.push(outcome));
        }, total),
        toArray(),
      ),
    );
    // Bounded: a task still unsettled after this is counted as hung, and the test fails.
    await Promise.race([Promise.all(submitted), pause(90_000)]);
    const outcomes = [...settledOutcomes];
    const elapsed = performance.now() - started;

    const faults = sim.faults.counts();
    sim.faults.reset();
    await runware.disconnect();

    // What the server itself holds for every task, read afresh with no faults.
    const auditor = createRunware({ apiKey: 'audit', url: sim.url, ...FAST_RECOVERY });
    const audited = await Promise.all(
      outcomes.map((outcome) =>
        outcome.taskUUID === ''
          ? Promise.resolve([])
          : auditor.attach(outcome.taskUUID, { taskType: 'imageInference', numberResults: outcome.expected, settled: true }).catch(() => []),
      ),
    );
    await auditor.disconnect();
    await sim.close();

    const resultKeys = outcomes.flatMap((outcome) => outcome.results.map((item) => String(item['imageUUID'] ?? item['videoUUID'])));
    const duplicates = resultKeys.length - new Set(resultKeys).size;
    const errors = outcomes.filter((outcome) => outcome.error !== undefined);
    const untyped = errors.filter((outcome) => !isRunwareError(outcome.error) || !CODES.has(outcome.error.code));
    const twice = outcomes.filter((outcome) => outcome.settlements !== 1);
    const serverCount = (index: number, status: 'fulfilled' | 'rejected') => (audited[index] ?? []).filter((item) => item.status === status).length;
    // Known SDK defects (test/support/known-defects.ts), told apart by their exact signature
    // while they are not fixed: a failure counted more often than the server has failures, and a
    // timeout after part of the results arrived.
    const failureCountedTwice = outcomes.filter(
      (outcome, index) => outcome.error === undefined && audited[index]?.length === outcome.expected && outcome.failures > serverCount(index, 'rejected'),
    );
    const partialTimeouts = errors.filter((outcome) => outcome.error?.code === 'timeout' && outcome.results.length > 0);
    const lost = outcomes.filter(
      (outcome, index) =>
        outcome.error === undefined &&
        serverCount(index, 'fulfilled') !== outcome.results.length &&
        !(KNOWN_DEFECTS.duplicatedPushedFailure && failureCountedTwice.includes(outcome)),
    );
    const incomplete = outcomes.filter((outcome) => outcome.error === undefined && outcome.results.length + outcome.failures !== outcome.expected);
    const failedItems = outcomes.reduce((sum, outcome) => sum + outcome.failures, 0);
    const byCode = new Map<string, number>();
    for (const outcome of errors) byCode.set(outcome.error?.code ?? '?', (byCode.get(outcome.error?.code ?? '?') ?? 0) + 1);
    const errorCodes = [...byCode].map(([code, count]) => `${code} ${count}`);
    const hung = total - outcomes.length;

    await pause(1200);
    const after = resourceCounts();
    const leaked = [...after].filter(([kind, count]) => count > (before.get(kind) ?? 0)).map(([kind, count]) => `${kind} +${count - (before.get(kind) ?? 0)}`);

    const injected = Object.entries(faults).filter(([, count]) => count > 0).map(([kind, count]) => `${kind} ${count}`);
    reports.push([
      `chaos, ${profile} profile (seed ${SEED}): ${total} tasks (${IMAGES} images, ${VIDEOS} videos) in ${(elapsed / 1000).toFixed(1)} s`,
      `  faults injected: ${injected.join(', ')} (total ${Object.values(faults).reduce((a, b) => a + b, 0)})`,
      `  results ${resultKeys.length}, failed items ${failedItems} (settled mode), typed errors ${errors.length}${errorCodes.length ? ` (${errorCodes.join(', ')})` : ''}`,
      `  duplicates ${duplicates}, hung ${hung}, settled twice ${twice.length}, lost ${lost.length}, incomplete ${incomplete.length}, untyped errors ${untyped.length}`,
      `  known SDK defects: a failure counted twice ${failureCountedTwice.length}, timed out after partial results ${partialTimeouts.length}`,
      `  left running after disconnect: ${leaked.length === 0 ? 'nothing' : leaked.join(', ')}`,
    ].join('\n'));

    expect(hung).toBe(0);
    expect(twice).toHaveLength(0);
    expect(duplicates).toBe(0);
    expect(untyped).toHaveLength(0);
    expect(lost).toHaveLength(0);
    expect(incomplete).toHaveLength(0);
    expect(leaked).toEqual([]);
    if (!KNOWN_DEFECTS.duplicatedPushedFailure) expect(failureCountedTwice).toHaveLength(0);
    if (!KNOWN_DEFECTS.partialResultsAfterResume) expect(partialTimeouts).toHaveLength(0);
    expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
  }, 180_000);
});
