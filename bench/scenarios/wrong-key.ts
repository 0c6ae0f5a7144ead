/**
 * A wrong API key: time from constructing the client to `connect()` rejecting. The simulator is
 * started with `--api-key`, answers any other key with `invalidApiKey` and closes with 1008.
 * First attempt in a fresh process, then a second one in the same process.
 */
import type { ClientName } from '../clients/types.js';
import { CLIENT_LABELS, CLIENT_NAMES } from '../clients/types.js';
import type { Report, Runs, Scenario } from '../lib/scenario.js';
import { BENCH_API_KEY, targetLine, valuesOf, noteFor, within } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { fmt, ratio } from '../lib/table.js';

interface Result {
  readonly firstMs: number;
  readonly secondMs: number;
  readonly error: string;
}

const REJECTION_BUDGET_MS = 50;
const GIVE_UP_MS = 10_000;

export const wrongKey: Scenario<Result> = {
  id: 'wrong-key',
  title: 'Wrong API key',
  simulators: () => ({ main: { apiKey: BENCH_API_KEY } }),
  reps: 5,
  clients: CLIENT_NAMES,
  plan: () => ({ params: {}, timeoutMs: 2 * GIVE_UP_MS + 5_000 }),

  async measure({ factory, urls }) {
    const attempt = async (): Promise<{ ms: number; error: string }> => {
      const started = performance.now();
      const client = factory({ url: urls['main']!, apiKey: 'not-the-bench-key' });
      try {
        await within(client.connect(), GIVE_UP_MS, `connect() neither resolved nor rejected within ${GIVE_UP_MS / 1000} s`);
      } catch (error) {
        const ms = performance.now() - started;
        const text = error instanceof Error ? error.message : typeof error === 'object' ? JSON.stringify(error) : String(error);
        if (text.startsWith('connect() neither')) throw error;
        return { ms, error: text.slice(0, 80) };
      } finally {
        await client.close();
      }
      throw new Error('connect() resolved with a wrong key');
    };
    const first = await attempt();
    const second = await attempt();
    return { firstMs: first.ms, secondMs: second.ms, error: first.error };
  },

  report(runs: Runs<Result>): Report {
    const figure = (client: ClientName, pick: (result: Result) => number): number | undefined => {
      const values = valuesOf(runs, client);
      return values === undefined ? undefined : median(values.map(pick));
    };
    const rawFirst = figure('raw', (r) => r.firstMs);
    const rawSecond = figure('raw', (r) => r.secondMs);
    const rows = CLIENT_NAMES.map((client) => {
      const first = figure(client, (r) => r.firstMs);
      const second = figure(client, (r) => r.secondMs);
      return [
        CLIENT_LABELS[client],
        fmt(first, 2),
        ratio(first, rawFirst),
        fmt(second, 2),
        ratio(second, rawSecond),
        (valuesOf(runs, client)?.[0]?.error ?? '').replace(/\|/g, '/'),
        noteFor(runs, client) ?? '',
      ];
    });
    const targets = (['rx-promise', 'rx-observable'] as const).map((client) => {
      const first = figure(client, (r) => r.firstMs);
      return targetLine(
        first === undefined ? undefined : first <= REJECTION_BUDGET_MS,
        `wrong key rejected ≤ ${REJECTION_BUDGET_MS} ms — ${CLIENT_LABELS[client]}: ${fmt(first, 2)} ms (first attempt in a fresh process; raw ${fmt(rawFirst, 2)} ms)`,
      );
    });
    return {
      tables: [
        {
          title: 'Wrong API key: time to rejection',
          columns: ['client', 'first attempt ms', '×raw', 'second attempt ms', '×raw', 'error (first 80 chars)', 'note'],
          rows,
          notes: [
            'From constructing the client to connect() rejecting. first: the first connection of a fresh process; second: another client right after, same process. Medians over repetitions.',
          ],
        },
      ],
      targets,
      key: [
        {
          metric: 'wrong key, time to rejection',
          cells: Object.fromEntries(CLIENT_NAMES.map((client) => [client, `${fmt(figure(client, (r) => r.firstMs), 1)} ms`])),
        },
      ],
    };
  },
};
