/**
 * Connect + authenticate. Cold: the first connection of a fresh process (the client's module is
 * already imported). Warm: then K more times in the same process,
 * each a new client object: construct, connect, authenticated, close.
 */
import type { ClientName } from '../clients/types.js';
import { CLIENT_LABELS, CLIENT_NAMES } from '../clients/types.js';
import type { Report, Runs, Scenario } from '../lib/scenario.js';
import { BENCH_API_KEY, targetLine, valuesOf, noteFor } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { fmt, ratio } from '../lib/table.js';

interface Result {
  readonly coldMs: number;
  readonly warmMs: number;
  readonly warmCount: number;
}

const WARM_CONNECTS = 30;
/** The official SDK checks for an open session on a 200 ms setInterval: each connect takes ≥ 200 ms. */
const OFFICIAL_WARM_CONNECTS = 5;

export const connect: Scenario<Result> = {
  id: 'connect',
  title: 'Connect + authenticate',
  simulators: () => ({ main: { apiKey: BENCH_API_KEY } }),
  reps: 5,
  clients: CLIENT_NAMES,
  plan: (client) => ({ params: { warm: client === 'official' ? OFFICIAL_WARM_CONNECTS : WARM_CONNECTS }, timeoutMs: 30_000 }),

  async measure({ factory, urls, apiKey, params }) {
    const once = async (): Promise<number> => {
      const started = performance.now();
      const client = factory({ url: urls['main']!, apiKey });
      try {
        await client.connect();
        return performance.now() - started;
      } finally {
        await client.close();
      }
    };
    const coldMs = await once();
    const warm: number[] = [];
    const warmCount = params['warm'] as number;
    for (let i = 0; i < warmCount; i += 1) warm.push(await once());
    return { coldMs, warmMs: median(warm), warmCount };
  },

  report(runs: Runs<Result>): Report {
    const figure = (client: ClientName, pick: (result: Result) => number): number | undefined => {
      const values = valuesOf(runs, client);
      return values === undefined ? undefined : median(values.map(pick));
    };
    const rawCold = figure('raw', (r) => r.coldMs);
    const rawWarm = figure('raw', (r) => r.warmMs);
    const rows = CLIENT_NAMES.map((client) => {
      const cold = figure(client, (r) => r.coldMs);
      const warm = figure(client, (r) => r.warmMs);
      return [
        CLIENT_LABELS[client],
        fmt(cold, 2),
        ratio(cold, rawCold),
        fmt(warm, 2),
        ratio(warm, rawWarm),
        String(valuesOf(runs, client)?.[0]?.warmCount ?? 'n/a'),
        noteFor(runs, client) ?? '',
      ];
    });
    const targets = (['rx-promise', 'rx-observable'] as const).map((client) => {
      const warm = figure(client, (r) => r.warmMs);
      return targetLine(
        warm === undefined || rawWarm === undefined ? undefined : warm <= rawWarm * 1.2,
        `warm connect ≤ 1.2× raw — ${CLIENT_LABELS[client]}: ${fmt(warm, 2)} ms vs raw ${fmt(rawWarm, 2)} ms (${ratio(warm, rawWarm)})`,
      );
    });
    return {
      tables: [
        {
          title: 'Connect + authenticate',
          columns: ['client', 'cold ms', '×raw', 'warm ms', '×raw', 'warm n', 'note'],
          rows,
          notes: [
            'cold: the first construct + connect + authenticated in that process. warm: median of the next n construct + connect + authenticated in the same process (each client closed before the next).',
            'Both runware-rx rows run the same `connect()`; they differ only in which module graph is loaded. Each cell is the median over repetitions (a fresh process each).',
          ],
        },
      ],
      targets,
      key: [
        {
          metric: 'warm connect + authenticate',
          cells: Object.fromEntries(CLIENT_NAMES.map((client) => [client, `${fmt(figure(client, (r) => r.warmMs), 2)} ms`])),
        },
      ],
    };
  },
};
