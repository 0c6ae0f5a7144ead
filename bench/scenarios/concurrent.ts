/**
 * N `imageInference` requests started at once over one connection.
 *
 * Phase 1, wall time: from the first call to the last result, against the simulator of the
 * profile (default: zero latency, results of a turn in one frame; realistic: each result after
 * its drawn latency, in a frame of its own). Phase 2, heap per task in flight: a fresh client of
 * the same kind connects to a second simulator that holds every image result back exactly
 * MEMORY_LATENCY_MS (no spread, in both profiles), so all N tasks are written and waiting;
 * heapUsed after `gc()` with them in flight minus heapUsed after `gc()` before the first call,
 * divided by N. The child then exits without waiting for the results.
 */
import type { ClientName } from '../clients/types.js';
import { CLIENT_LABELS, CLIENT_NAMES } from '../clients/types.js';
import { tapFrames } from '../lib/frame-tap.js';
import type { Report, Runs, Scenario } from '../lib/scenario.js';
import { BENCH_API_KEY, targetLine, valuesOf, noteFor } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { fmt, ratio } from '../lib/table.js';

interface Result {
  readonly n: number;
  readonly wallMs: number;
  readonly heapBaseline: number;
  readonly heapInFlight: number;
  readonly bytesPerTask: number;
  /** From the first call until every task was on the wire and the heap measured. */
  readonly submitMs: number;
}

/** Image results are held back this long by the memory simulator: far longer than submitting takes. */
export const MEMORY_LATENCY_MS = 15_000;
const WARM_UP = 500;
/** The heap target per task in flight (issue 14: 3 KB; KB = 1024 bytes). */
const HEAP_BUDGET_BYTES = 3 * 1024;

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with --expose-gc');
  collect();
  collect();
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function concurrent(n: number): Scenario<Result> {
  return {
    id: `concurrent-${n}`,
    title: `${n.toLocaleString('en-US')} concurrent imageInference`,
    simulators: () => ({
      main: { apiKey: BENCH_API_KEY },
      // Exactly MEMORY_LATENCY_MS for every task: a spread would let some results in early.
      memory: { apiKey: BENCH_API_KEY, imageLatencyMs: MEMORY_LATENCY_MS, latencySpread: 0, generationSpread: 0 },
    }),
    reps: 5,
    clients: CLIENT_NAMES,
    plan: () => ({ params: { n }, timeoutMs: 60_000 }),

    async measure({ factory, urls, apiKey }) {
      // Phase 1: wall time, after a warm-up batch on the same connection.
      const timed = factory({ url: urls['main']!, apiKey });
      let wallMs: number;
      try {
        await timed.connect();
        await Promise.all(Array.from({ length: WARM_UP }, () => timed.image()));
        const started = performance.now();
        const results = await Promise.all(Array.from({ length: n }, () => timed.image()));
        wallMs = performance.now() - started;
        if (results.some((items) => items.length !== 1)) throw new Error('a request did not yield exactly one image');
      } finally {
        await timed.close();
      }

      // Phase 2: heap per task in flight, on a fresh connection to the slow simulator.
      const held = factory({ url: urls['memory']!, apiKey });
      await held.connect();
      const tap = tapFrames({ needle: '"taskType":"imageInference"' });
      await sleep(50);
      gc();
      const heapBaseline = process.memoryUsage().heapUsed;
      const started = performance.now();
      const inFlight: Promise<unknown>[] = new Array(n);
      for (let i = 0; i < n; i += 1) {
        const request = held.image();
        request.catch(() => undefined); // the child exits before they settle
        inFlight[i] = request;
      }
      while (tap.count() < n) {
        if (performance.now() - started > MEMORY_LATENCY_MS / 2) throw new Error(`only ${tap.count()} of ${n} tasks written`);
        await sleep(5);
      }
      await sleep(20);
      gc();
      const heapInFlight = process.memoryUsage().heapUsed;
      const submitMs = performance.now() - started;
      if (submitMs > MEMORY_LATENCY_MS - 2000) throw new Error(`submitting took ${submitMs} ms: results may have arrived`);
      if (inFlight.length !== n) throw new Error('lost requests');
      return { n, wallMs, heapBaseline, heapInFlight, bytesPerTask: (heapInFlight - heapBaseline) / n, submitMs };
    },

    report(runs: Runs<Result>, profile): Report {
      const figure = (client: ClientName, pick: (result: Result) => number): number | undefined => {
        const values = valuesOf(runs, client);
        return values === undefined ? undefined : median(values.map(pick));
      };
      const rawWall = figure('raw', (r) => r.wallMs);
      const rawBytes = figure('raw', (r) => r.bytesPerTask);
      const rows = CLIENT_NAMES.map((client) => {
        const wall = figure(client, (r) => r.wallMs);
        const bytes = figure(client, (r) => r.bytesPerTask);
        return [
          CLIENT_LABELS[client],
          fmt(wall, 0),
          ratio(wall, rawWall),
          fmt(wall === undefined ? undefined : (n / wall) * 1000, 0),
          ratio(rawWall, wall),
          fmt(bytes, 0),
          ratio(bytes, rawBytes),
          fmt(figure(client, (r) => (r.heapInFlight - r.heapBaseline) / 1024 / 1024), 1),
          noteFor(runs, client) ?? '',
        ];
      });
      const targets =
        n < 10_000
          ? []
          : (['rx-promise', 'rx-observable'] as const).flatMap((client) => {
              const wall = figure(client, (r) => r.wallMs);
              const bytes = figure(client, (r) => r.bytesPerTask);
              return [
                targetLine(
                  wall === undefined || rawWall === undefined ? undefined : wall <= rawWall,
                  `${n.toLocaleString('en-US')} in flight: wall time ≤ 1.0× raw — ${CLIENT_LABELS[client]}: ${fmt(wall, 0)} ms vs raw ${fmt(rawWall, 0)} ms (${ratio(wall, rawWall)})`,
                ),
                targetLine(
                  bytes === undefined ? undefined : bytes <= HEAP_BUDGET_BYTES,
                  `${n.toLocaleString('en-US')} in flight: heap ≤ 3 KB per task — ${CLIENT_LABELS[client]}: ${fmt(bytes, 0)} B/task (raw ${fmt(rawBytes, 0)} B/task)`,
                ),
              ];
            });
      return {
        tables: [
          {
            title: `${n.toLocaleString('en-US')} concurrent imageInference over one connection`,
            columns: ['client', 'wall ms', '×raw', 'tasks/s', '×raw', 'heap B/task in flight', '×raw', 'heap MB in flight', 'note'],
            rows,
            notes: [
              `Wall time: all ${n.toLocaleString('en-US')} requests started in one synchronous loop, measured until the last resolves, after a warm-up batch of ${WARM_UP} on the same connection; ${profile === 'default' ? 'zero-latency simulator, results of one turn in one frame' : 'each result after its drawn latency (median 25 ms, the same draws for every client) in a frame of its own, so the wall time includes the slowest draw'}. tasks/s = n / wall; its ×raw is raw's wall / this wall (higher is better).`,
              `Heap: a fresh client of the same kind in the same child process connects to a second simulator that holds image results back exactly ${MEMORY_LATENCY_MS / 1000} s; gc() twice, heapUsed; start the ${n.toLocaleString('en-US')} requests (the harness keeps their promises); wait until a wrapper around ws.send has seen all ${n.toLocaleString('en-US')} tasks written; gc() twice, heapUsed again. B/task = difference / n. It counts everything a caller pays per task in flight: the returned promise, the client's per-task state, the serialized task until it is garbage. Socket buffers (external memory) are not included.`,
              'Each cell is the median over repetitions; every repetition is a fresh child process (node --expose-gc) that runs one client only.',
            ],
          },
        ],
        targets,
        key:
          n < 10_000
            ? []
            : [
                {
                  metric: `${n.toLocaleString('en-US')} images in flight: wall time`,
                  cells: Object.fromEntries(CLIENT_NAMES.map((client) => [client, `${fmt(figure(client, (r) => r.wallMs), 0)} ms (${ratio(figure(client, (r) => r.wallMs), rawWall)})`])),
                },
                {
                  metric: `${n.toLocaleString('en-US')} images in flight: heap per task`,
                  cells: Object.fromEntries(CLIENT_NAMES.map((client) => [client, `${fmt(figure(client, (r) => r.bytesPerTask), 0)} B`])),
                },
              ],
      };
    },
  };
}
