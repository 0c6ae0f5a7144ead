/**
 * Streamed `textInference` (`deliveryMethod: "stream"`, Server-Sent Events over HTTP, as the API
 * streams) one after another: the time to the first piece and to the whole answer. Default
 * profile: every piece is written at once, so this is the client's own cost per stream.
 * Realistic profile: the pieces are spread over the drawn latency (median 25 ms).
 * The official SDK does not stream and is not run.
 */
import type { SimulatorProfile } from 'runware-rx/simulator';
import type { ClientName } from '../clients/types.js';
import { CLIENT_LABELS } from '../clients/types.js';
import type { Report, Runs, Scenario } from '../lib/scenario.js';
import { BENCH_API_KEY, valuesOf, noteFor } from '../lib/scenario.js';
import { median, percentile } from '../lib/stats.js';
import { fmt, ratio } from '../lib/table.js';

interface Result {
  readonly n: number;
  /** p50 ms from the request to its first piece; absent for a client that reports no pieces. */
  readonly firstP50?: number;
  /** p50 ms from the request to the whole answer. */
  readonly wholeP50: number;
}

const CLIENTS: readonly ClientName[] = ['raw', 'rx-promise', 'rx-observable'];

const STREAMS: Readonly<Record<SimulatorProfile, { readonly n: number; readonly warmUp: number }>> = {
  default: { n: 400, warmUp: 50 },
  realistic: { n: 60, warmUp: 10 },
};

export const textStream: Scenario<Result> = {
  id: 'text-stream',
  title: 'Streamed textInference, one after another',
  simulators: () => ({ main: { apiKey: BENCH_API_KEY } }),
  reps: 5,
  clients: CLIENTS,
  plan: (_client, profile) => ({ params: { ...STREAMS[profile] }, timeoutMs: 60_000 }),

  async measure({ factory, urls, apiKey, params }) {
    const client = factory({ url: urls['main']!, apiKey });
    const stream = client.text;
    if (stream === undefined) throw new Error('this client does not stream text');
    try {
      const once = async (): Promise<{ first: number | undefined; whole: number }> => {
        const started = performance.now();
        let first: number | undefined;
        const text = await stream(() => {
          first ??= performance.now() - started;
        });
        const whole = performance.now() - started;
        if (text.length === 0) throw new Error('an empty answer');
        return { first, whole };
      };
      for (let i = 0; i < (params['warmUp'] as number); i += 1) await once();
      const firsts: number[] = [];
      const wholes: number[] = [];
      const n = params['n'] as number;
      for (let i = 0; i < n; i += 1) {
        const { first, whole } = await once();
        if (first !== undefined) firsts.push(first);
        wholes.push(whole);
      }
      const result: Result = { n, wholeP50: percentile(wholes, 0.5) };
      return firsts.length === 0 ? result : { ...result, firstP50: percentile(firsts, 0.5) };
    } finally {
      await client.close();
    }
  },

  report(runs: Runs<Result>, profile): Report {
    const figure = (client: ClientName, pick: (result: Result) => number | undefined): number | undefined => {
      const values = valuesOf(runs, client)?.map(pick).filter((value): value is number => value !== undefined);
      return values === undefined || values.length === 0 ? undefined : median(values);
    };
    const rawFirst = figure('raw', (r) => r.firstP50);
    const rawWhole = figure('raw', (r) => r.wholeP50);
    const rows = CLIENTS.map((client) => {
      const first = figure(client, (r) => r.firstP50);
      const whole = figure(client, (r) => r.wholeP50);
      return [
        CLIENT_LABELS[client],
        String(valuesOf(runs, client)?.[0]?.n ?? 'n/a'),
        first === undefined ? '–' : fmt(first, 3),
        first === undefined ? '–' : ratio(first, rawFirst),
        fmt(whole, 3),
        ratio(whole, rawWhole),
        noteFor(runs, client) ?? (client === 'rx-promise' ? 'the Promise resolves with the whole answer only' : ''),
      ];
    });
    return {
      tables: [
        {
          title: 'Streamed textInference (SSE over HTTP), one after another',
          columns: ['client', 'n', 'first piece p50 ms', '×raw', 'whole answer p50 ms', '×raw', 'note'],
          rows,
          notes: [
            `n streams per repetition after ${STREAMS[profile].warmUp} warm-up streams. raw: fetch, the body read and split at blank lines by hand, the pieces joined (bench/clients/raw.ts). @runware/sdk-js 1.3.2 does not stream and is not run.`,
            profile === 'default'
              ? 'Default profile: the simulator writes every piece at once, so this is the cost of a stream itself (an HTTP request per stream).'
              : 'Realistic profile: the pieces are spread over the drawn latency (median 25 ms), the same draws for every client.',
            'p50: nearest-rank percentile of one repetition; each cell is the median over repetitions; ×raw = that median / raw\'s median in this run.',
          ],
        },
      ],
      targets: [],
      key: [
        { metric: 'streamed text: first piece, p50', cells: Object.fromEntries(CLIENTS.map((client) => [client, `${fmt(figure(client, (r) => r.firstP50), 3)} ms`])) },
        { metric: 'streamed text: whole answer, p50', cells: Object.fromEntries(CLIENTS.map((client) => [client, `${fmt(figure(client, (r) => r.wholeP50), 3)} ms`])) },
      ],
    };
  },
};
