/**
 * Sequential `imageInference` round trips on one warm connection: each request is awaited before
 * the next is sent. Default profile: the simulator answers at once, so this is pure per-request
 * overhead. Realistic profile: every answer takes the simulator's drawn latency (median 25 ms),
 * the same sequence for every client, so this is what that overhead weighs against a server that
 * takes time.
 */
import type { ClientName } from '../clients/types.js';
import { CLIENT_LABELS, CLIENT_NAMES } from '../clients/types.js';
import type { SimulatorProfile } from 'runware-rx/simulator';
import type { Report, Runs, Scenario } from '../lib/scenario.js';
import { BENCH_API_KEY, targetLine, valuesOf, noteFor } from '../lib/scenario.js';
import { median, percentile, sum } from '../lib/stats.js';
import { fmt, ratio } from '../lib/table.js';

interface Result {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

/** Round trips and warm-up per profile: fewer where each one takes the server's latency. */
const ROUND_TRIPS: Readonly<Record<SimulatorProfile, { readonly n: number; readonly warmUp: number }>> = {
  default: { n: 2000, warmUp: 300 },
  realistic: { n: 150, warmUp: 20 },
};
/** The official SDK checks for its result on a 100 ms interval, so each round trip costs ≥ 100 ms. */
const OFFICIAL_ROUND_TRIPS = 20;
const OFFICIAL_WARM_UP = 3;

export const sequential: Scenario<Result> = {
  id: 'sequential',
  title: `Sequential imageInference round trips`,
  simulators: () => ({ main: { apiKey: BENCH_API_KEY } }),
  reps: 5,
  clients: CLIENT_NAMES,
  plan: (client, profile) =>
    client === 'official'
      ? { params: { n: OFFICIAL_ROUND_TRIPS, warmUp: OFFICIAL_WARM_UP }, timeoutMs: 30_000 }
      : { params: { ...ROUND_TRIPS[profile] }, timeoutMs: 60_000 },

  async measure({ factory, urls, apiKey, params }) {
    const n = params['n'] as number;
    const client = factory({ url: urls['main']!, apiKey });
    try {
      await client.connect();
      for (let i = 0; i < (params['warmUp'] as number); i += 1) await client.image();
      const times: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const started = performance.now();
        const items = await client.image();
        times.push(performance.now() - started);
        if (items.length !== 1) throw new Error(`expected 1 image, got ${items.length}`);
      }
      return { n, p50: percentile(times, 0.5), p99: percentile(times, 0.99), perSecond: (n / sum(times)) * 1000 };
    } finally {
      await client.close();
    }
  },

  report(runs: Runs<Result>, profile): Report {
    const figure = (client: ClientName, pick: (result: Result) => number): number | undefined => {
      const values = valuesOf(runs, client);
      return values === undefined ? undefined : median(values.map(pick));
    };
    const raw = { p50: figure('raw', (r) => r.p50), p99: figure('raw', (r) => r.p99), rps: figure('raw', (r) => r.perSecond) };
    const rows = CLIENT_NAMES.map((client) => {
      const p50 = figure(client, (r) => r.p50);
      const p99 = figure(client, (r) => r.p99);
      const rps = figure(client, (r) => r.perSecond);
      const n = valuesOf(runs, client)?.[0]?.n;
      const missing = noteFor(runs, client);
      return [
        CLIENT_LABELS[client],
        n === undefined ? 'n/a' : String(n),
        fmt(p50, 3),
        ratio(p50, raw.p50),
        fmt(p99, 3),
        ratio(p99, raw.p99),
        fmt(rps, 0),
        ratio(rps, raw.rps),
        missing ?? '',
      ];
    });
    const targets = (['rx-promise', 'rx-observable'] as const).map((client) => {
      const p50 = figure(client, (r) => r.p50);
      const limit = raw.p50 === undefined ? undefined : raw.p50 * 1.2;
      const met = p50 === undefined || limit === undefined ? undefined : p50 <= limit;
      return targetLine(met, `sequential p50 ≤ 1.2× raw — ${CLIENT_LABELS[client]}: ${fmt(p50, 3)} ms vs raw ${fmt(raw.p50, 3)} ms (${ratio(p50, raw.p50)})`);
    });
    return {
      tables: [
        {
          title: 'Sequential imageInference round trips (one connection, each awaited before the next)',
          columns: ['client', 'n', 'p50 ms', '×raw', 'p99 ms', '×raw', 'req/s', '×raw', 'note'],
          rows,
          notes: [
            `n round trips per repetition after warm-up round trips (default profile: ${ROUND_TRIPS.default.warmUp}; realistic: ${ROUND_TRIPS.realistic.warmUp}, each taking the server's latency; official SDK: ${OFFICIAL_ROUND_TRIPS} after ${OFFICIAL_WARM_UP} in both, because it looks for its result on a 100 ms setInterval, so each of its round trips takes ≥ 100 ms).`,
            profile === 'default'
              ? 'Default profile: the simulator answers at once, so this is the per-request overhead itself.'
              : 'Realistic profile: every answer comes after its drawn latency (median 25 ms, the same draws for every client), so this is that overhead against a server that takes time.',
            'p50/p99: nearest-rank percentiles of one repetition; req/s = n / sum of round-trip times. Each cell is the median over repetitions; ×raw = that median / raw\'s median in this run.',
          ],
        },
      ],
      targets,
      key: [
        {
          metric: 'sequential image round trip, p50',
          cells: Object.fromEntries(CLIENT_NAMES.map((client) => [client, `${fmt(figure(client, (r) => r.p50), 3)} ms`])),
        },
      ],
    };
  },
};
