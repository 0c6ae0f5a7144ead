/**
 * Videos whose ready times are drawn at random (issue 14, item 2): two models, one typically
 * ready at 2 s and one at 30 s, each task's time drawn uniformly over ±10 % of that by the
 * simulator (`modelReadiness`: from a seed and the task's taskUUID), so no client can know in
 * advance when a task will be ready. The bench draws the taskUUIDs from the same seed (the same
 * tasks on every run, so two versions of the code meet the same ready times) and knows the
 * seed, so it can tell when each task was ready: latency = resolved − (call + its ready time).
 *
 * Why ±10 %: a model at fixed settings (duration, resolution) takes about the same time from one
 * task to the next, give or take the provider's load; ±10 % is that variation, wide enough that
 * a poller must look across a window several polls wide (400 ms at 2 s, 6 s at 30 s) and narrow
 * enough that learning a model means something. Uniform, so that no moment in the window is
 * favoured and a poll grid has no alignment to exploit.
 *
 * Each repetition runs CLIENTS fresh clients of the same kind at once, in one child process,
 * each on its own connection (a fresh client knows nothing of any model):
 * - first tasks: each client submits one task of each model at once;
 * - later tasks: once its first ~2 s task is done, a client submits LATER_FAST more of that
 *   model one after another; once its first ~30 s task is done, it submits one more of that.
 * The reference is a fixed 250 ms poller (the raw client polling on a fixed grid every 250 ms
 * after the acknowledgement), measured the same way on its own draws.
 */
import type { SimulatorProfile } from 'runware-rx/simulator';
import { readyAfter } from '../../src/simulator/model-readiness.js';
import { seededUUID } from '../lib/seeded-uuid.js';
import type { ModelReadinessOptions } from '../../src/simulator/model-readiness.js';
import type { BenchClient, ClientName } from '../clients/types.js';
import { CLIENT_LABELS } from '../clients/types.js';
import { tapFrames } from '../lib/frame-tap.js';
import type { Report, Runs, Scenario, TargetLine } from '../lib/scenario.js';
import { BENCH_API_KEY, noteFor, targetLine, valuesOf } from '../lib/scenario.js';
import { mean, percentile } from '../lib/stats.js';
import { fmt } from '../lib/table.js';

const FAST = { model: 'klingai:5@3', duration: 5, typical: 2000 } as const;
const SLOW = { model: 'google:3@3', duration: 8, typical: 30_000 } as const;
/** The seed of the ready times and of the taskUUIDs they are drawn for. */
const SEED = 14;
const READINESS: ModelReadinessOptions = { models: { [FAST.model]: FAST.typical, [SLOW.model]: SLOW.typical }, spread: 0.1, seed: SEED };
/** Fresh clients per repetition, each on a connection of its own. */
const CLIENTS = 160;
/** Later ~2 s tasks per client, one after another. */
const LATER_FAST = 8;
/** The reference poller's fixed period. */
const REFERENCE_MS = 250;

type Kind = 'fast' | 'slow';
type Phase = 'first' | 'later';

/** One task: which, how late after it was ready it resolved (ms), and how many polls it took. */
interface TaskOutcome {
  readonly kind: Kind;
  readonly phase: Phase;
  readonly late: number;
  readonly polls: number;
  /** What a 250 ms grid would have needed for the same ready time: ceil(ready / 250). */
  readonly gridPolls: number;
}

interface Result {
  readonly tasks: readonly TaskOutcome[];
}

/** A target per group: the latency bound (p50) and the share of the reference poller's polls. */
const TARGETS: Readonly<Record<`${Kind} ${Phase}`, { readonly late: number; readonly share: number; readonly label: string }>> = {
  'fast first': { late: 150, share: 1, label: 'first task ready at ~2 s' },
  'slow first': { late: 500, share: 1 / 3, label: 'first task ready at ~30 s' },
  'fast later': { late: 150, share: 1 / 4, label: 'later tasks ready at ~2 s' },
  'slow later': { late: 150, share: 1 / 4, label: 'later tasks ready at ~30 s' },
};
const GROUPS = Object.keys(TARGETS) as (keyof typeof TARGETS)[];
const CLIENTS_MEASURED: readonly ClientName[] = ['raw', 'rx-promise'];
const labelOf = (client: ClientName): string => (client === 'raw' ? `fixed ${REFERENCE_MS} ms poller (raw ws)` : CLIENT_LABELS[client]);
const share = (value: number): string => (value >= 1 ? '1' : `1/${Math.round(1 / value)}`);

export const videoDrawn: Scenario<Result> = {
  id: 'video-drawn',
  title: 'Videos ready at drawn times (~2 s and ~30 s, ±10 %): first and later tasks',
  simulators: () => ({ main: { apiKey: BENCH_API_KEY, modelReadiness: READINESS } }),
  reps: 1,
  clients: CLIENTS_MEASURED,
  plan: () => ({ params: { clients: CLIENTS, laterFast: LATER_FAST }, timeoutMs: 150_000 }),

  async measure({ factory, urls, apiKey, params, client: name }) {
    const tap = tapFrames({ parse: true });
    const clients: BenchClient[] = Array.from({ length: params['clients'] as number }, () =>
      factory({ url: urls['main']!, apiKey, ...(name === 'raw' ? { pollEveryMs: REFERENCE_MS } : {}) }),
    );
    const tasks: TaskOutcome[] = [];
    // Each task's taskUUID, hence its ready time, is fixed by the seed, the client measured, which
    // of the fresh clients runs it, and its place in that client's sequence of its kind.
    const clientStream = CLIENTS_MEASURED.indexOf(name);
    const one = async (client: BenchClient, index: number, kind: Kind, phase: Phase, place: number): Promise<void> => {
      const { model, duration } = kind === 'fast' ? FAST : SLOW;
      const taskUUID = seededUUID(SEED, clientStream, index, kind === 'fast' ? 0 : 1, place);
      const ready = readyAfter(READINESS, model, taskUUID)!;
      const called = performance.now();
      const items = await client.video({ model, duration, taskUUID });
      const late = performance.now() - (called + ready);
      if (items.length !== 1) throw new Error(`expected 1 video, got ${items.length}`);
      tasks.push({ kind, phase, late, polls: tap.pollsByTask.get(taskUUID) ?? 0, gridPolls: Math.ceil(ready / REFERENCE_MS) });
    };
    try {
      await Promise.all(clients.map((client) => client.connect()));
      await Promise.all(
        clients.map(async (client, index) => {
          const fast = (async () => {
            await one(client, index, 'fast', 'first', 0);
            for (let place = 1; place <= (params['laterFast'] as number); place += 1) await one(client, index, 'fast', 'later', place);
          })();
          const slow = (async () => {
            await one(client, index, 'slow', 'first', 0);
            await one(client, index, 'slow', 'later', 1);
          })();
          await Promise.all([fast, slow]);
        }),
      );
      return { tasks };
    } finally {
      tap.restore();
      await Promise.all(clients.map((client) => client.close()));
    }
  },

  report(runs: Runs<Result>, profile: SimulatorProfile): Report {
    const outcomes = (client: ClientName, group: keyof typeof TARGETS): TaskOutcome[] => {
      const [kind, phase] = group.split(' ') as [Kind, Phase];
      return (valuesOf(runs, client) ?? []).flatMap((result) => result.tasks.filter((task) => task.kind === kind && task.phase === phase));
    };
    const figures = (client: ClientName, group: keyof typeof TARGETS) => {
      const tasks = outcomes(client, group);
      const late = tasks.map((task) => task.late);
      return {
        n: tasks.length,
        p50: tasks.length === 0 ? undefined : percentile(late, 0.5),
        p90: tasks.length === 0 ? undefined : percentile(late, 0.9),
        polls: tasks.length === 0 ? undefined : mean(tasks.map((task) => task.polls)),
        gridPolls: tasks.length === 0 ? undefined : mean(tasks.map((task) => task.gridPolls)),
      };
    };
    const rows = CLIENTS_MEASURED.flatMap((client) =>
      GROUPS.map((group) => {
        const mine = figures(client, group);
        const reference = figures('raw', group);
        return [
          labelOf(client),
          TARGETS[group].label,
          String(mine.n),
          fmt(mine.p50, 0),
          fmt(mine.p90, 0),
          fmt(mine.polls, 1),
          mine.polls === undefined || reference.polls === undefined ? 'n/a' : (mine.polls / reference.polls).toFixed(2),
          mine.polls === undefined || mine.gridPolls === undefined ? 'n/a' : (mine.polls / mine.gridPolls).toFixed(2),
          noteFor(runs, client) ?? '',
        ];
      }),
    );
    const targets: TargetLine[] = GROUPS.flatMap((group) => {
      const { late, share: allowed, label } = TARGETS[group];
      const mine = figures('rx-promise', group);
      const reference = figures('raw', group);
      const fraction = mine.polls === undefined || reference.polls === undefined ? undefined : mine.polls / reference.polls;
      return [
        targetLine(mine.p50 === undefined ? undefined : mine.p50 <= late, `${label}: resolved ≤ +${late} ms after ready (p50) — ${CLIENT_LABELS['rx-promise']}: +${fmt(mine.p50, 0)} ms (p90 +${fmt(mine.p90, 0)}; ${REFERENCE_MS} ms poller +${fmt(reference.p50, 0)})`),
        targetLine(
          fraction === undefined ? undefined : fraction <= allowed,
          `${label}: polls ≤ ${share(allowed)} of a fixed ${REFERENCE_MS} ms poller's — ${CLIENT_LABELS['rx-promise']}: ${fmt(mine.polls, 1)} per task vs ${fmt(reference.polls, 1)} (${fraction === undefined ? 'n/a' : fraction.toFixed(2)})`,
        ),
      ];
    });
    return {
      tables: [
        {
          title: 'Videos ready at drawn times: ~2 s and ~30 s (±10 %), first and later tasks of each model',
          columns: ['client', 'tasks', 'n', 'after ready p50 ms', 'p90 ms', 'polls per task', '÷ poller', '÷ its own 250 ms grid', 'note'],
          rows,
          notes: [
            `Ready times drawn by the simulator (\`modelReadiness\`, seed ${READINESS.seed}) uniformly over ±10 % of ${FAST.typical} ms (${FAST.model}) and ${SLOW.typical} ms (${SLOW.model}), from the seed and each task's taskUUID: the bench chooses the taskUUIDs from the seed (the same tasks on every run, so runs of two versions of the code compare), so it knows each task's ready time; the clients do not. after ready = resolved − (call + that task's ready time).`,
            `Each repetition: ${CLIENTS} fresh clients at once in one child process, each on its own connection; each submits one task of each model at once (first tasks), then ${LATER_FAST} more ~2 s tasks one after another and one more ~30 s task (later tasks; the ~30 s one learns from one finished task). runware-rx with default options (no expectedDuration).`,
            `÷ poller: polls per task over those of the fixed ${REFERENCE_MS} ms poller (the raw client polling every ${REFERENCE_MS} ms from the acknowledgement, on a grid), measured on its own draws. ÷ its own 250 ms grid: over ceil(ready / ${REFERENCE_MS}) of the same tasks' ready times, what such a poller would have needed for exactly these tasks. Targets are judged on the measured poller.`,
            profile === 'default'
              ? 'Default profile: the simulator reports progress on every poll, which runware-rx projects to the finish (the server\'s word wins over what it learned).'
              : 'Realistic profile: no progress on the polls, one frame per answer: runware-rx has only its schedule and what it learned.',
          ],
        },
      ],
      targets,
      key: [
        {
          metric: 'drawn ~2 s first; ~30 s first; ~2 s later; ~30 s later: p50 after ready / polls per task (raw column: the fixed 250 ms poller)',
          cells: Object.fromEntries(
            CLIENTS_MEASURED.map((client) => [
              client,
              GROUPS.map((group) => {
                const { p50, polls } = figures(client, group);
                return `${fmt(p50, 0)} ms/${fmt(polls, 0)}`;
              }).join('; '),
            ]),
          ),
        },
      ],
    };
  },
};
