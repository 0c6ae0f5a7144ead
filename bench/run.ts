/**
 * `npm run bench`: every scenario against the simulator (fast mode, its own process), each
 * client measured in its own child process, client order alternated between repetitions,
 * medians printed as one table per scenario with ratios to the raw client of this run, targets
 * printed as MET / MISSED, everything written to bench/results.md.
 *
 * Options (for working on the harness; a full run takes none):
 *   --only=id,id   run these scenarios only (sequential, concurrent-2000, concurrent-10000,
 *                  connect, wrong-key, video-1, video-1000, bundle)
 *   --reps=N       repetitions per scenario instead of each scenario's own (5)
 *   --out=PATH     where to write the results (default bench/results.md; "-" for nowhere)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClientName } from './clients/types.js';
import { prepareWorker, runChild } from './lib/child.js';
import type { CpuSample } from './lib/load.js';
import { foreignCores, sampleCpu, waitForQuiet } from './lib/load.js';
import { machineNotes, renderMachineNotes } from './lib/machine.js';
import { killAll } from './lib/processes.js';
import type { ClientRuns, Report, Scenario } from './lib/scenario.js';
import { BENCH_API_KEY, renderTarget } from './lib/scenario.js';
import type { SimulatorProcess } from './lib/simulator.js';
import { launchSimulator } from './lib/simulator.js';
import { renderTable } from './lib/table.js';
import { measureBundles } from './scenarios/bundle.js';
import { SCENARIO_LIST } from './scenarios/index.js';

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, reps: { type: 'string' }, out: { type: 'string', default: 'bench/results.md' } },
  strict: true,
});
const only = options.only?.split(',').map((id) => id.trim());
const repsOverride = options.reps === undefined ? undefined : Number(options.reps);
if (repsOverride !== undefined && !(Number.isInteger(repsOverride) && repsOverride > 0)) throw new Error('--reps must be a positive integer');
const selected = (id: string): boolean => only === undefined || only.includes(id);

/** Clients whose first failure ends their repetitions in a scenario (slow or hanging by design). */
const STOP_AFTER_FAILURE: readonly ClientName[] = ['official'];

const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Other processes may use this many cores before a scenario starts; above it, wait (bounded). */
const QUIET_THRESHOLD_CORES = 0.25;
const MAX_WAIT_PER_SCENARIO_MS = 30_000;
const MAX_WAIT_TOTAL_MS = 120_000;
let waitedTotalMs = 0;

interface Section {
  readonly title: string;
  readonly report: Report;
  /** Cores used by other processes while it ran (Linux only); `null` for a section that is not timed. */
  readonly foreign: number | undefined | null;
}

/** Waits for a quiet machine (bounded), runs `body`, and measures what others used meanwhile. */
async function guarded(title: string, body: () => Promise<Report>): Promise<Section> {
  const budget = Math.min(MAX_WAIT_PER_SCENARIO_MS, MAX_WAIT_TOTAL_MS - waitedTotalMs);
  if (budget > 0) {
    const quiet = await waitForQuiet(QUIET_THRESHOLD_CORES, budget);
    waitedTotalMs += quiet.waitedMs > 1500 ? quiet.waitedMs : 0;
    if (quiet.cores !== undefined && quiet.cores >= QUIET_THRESHOLD_CORES) {
      log(`  (other processes use ${quiet.cores.toFixed(2)} cores; measuring anyway after waiting ${seconds(quiet.waitedMs)})`);
    } else if (quiet.waitedMs > 1500) log(`  (waited ${seconds(quiet.waitedMs)} for other processes to go quiet)`);
  }
  const from: CpuSample | undefined = sampleCpu();
  const report = await body();
  const foreign = foreignCores(from, sampleCpu());
  return { title, report, foreign };
}

const loadNote = (foreign: number | undefined | null): string[] => {
  if (foreign === null) return [];
  if (foreign === undefined) return ['(other processes: not measured, no /proc)'];
  return [`(other processes used ${foreign.toFixed(2)} cores meanwhile${foreign > 0.1 ? ' — figures may be skewed' : ''})`];
};

async function runScenario<R>(scenario: Scenario<R>): Promise<Report> {
  const reps = repsOverride ?? scenario.reps;
  const simulators: SimulatorProcess[] = [];
  const runs = new Map<ClientName, ClientRuns<R>>(scenario.clients.map((client) => [client, { values: [], failures: [] }]));
  try {
    const urls: Record<string, string> = {};
    for (const [role, flags] of Object.entries(scenario.simulators)) {
      const simulator = await launchSimulator(flags);
      simulators.push(simulator);
      urls[role] = simulator.url;
    }
    for (let rep = 0; rep < reps; rep += 1) {
      const order = rep % 2 === 0 ? scenario.clients : [...scenario.clients].reverse();
      const done: string[] = [];
      for (const client of order) {
        const entry = runs.get(client)!;
        if (entry.skipped !== undefined) continue;
        const { params, timeoutMs } = scenario.plan(client);
        const outcome = await runChild<R>({ scenario: scenario.id, client, urls, apiKey: BENCH_API_KEY, params, timeoutMs });
        if (outcome.ok) {
          entry.values.push(outcome.value);
          done.push(`${client} ${seconds(outcome.ms)}`);
        } else {
          entry.failures.push(outcome.reason);
          done.push(`${client} FAILED (${outcome.reason})`);
          if (STOP_AFTER_FAILURE.includes(client)) entry.skipped = `later repetitions skipped after: ${outcome.reason}`;
        }
      }
      log(`  rep ${rep + 1}/${reps}: ${done.join(', ')}`);
    }
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.close()));
  }
  return scenario.report(runs);
}

function printSection(section: Section): void {
  for (const table of section.report.tables) log(`\n${renderTable(table)}`);
  for (const note of loadNote(section.foreign)) log(`\n${note}`);
  if (section.report.targets.length > 0) log(`\n${section.report.targets.map(renderTarget).join('\n')}`);
}

const METHOD = [
  'Every scenario runs against the simulator in fast mode (bench/simulator-server.ts: `startSimulator({ media: false })` on an ephemeral port, like the CLI\'s `--fast --port 0`: no media generation, no artificial latency) in its own process, started fresh for each scenario and stopped after it.',
  'Each repetition of each client is a fresh child process (`node --expose-gc bench/.build/worker.mjs`, bench/worker.ts bundled by esbuild with every package external) that loads only that client, so heaps, JIT state and event loops never mix. The client order is reversed on every other repetition. Each figure is the median over repetitions (5 unless stated), and ×raw is that median divided by the raw client\'s median from the same run.',
  'Clients: **raw**: bench/clients/raw.ts, a minimal hand-written client of the protocol over `ws` (auth frame first, one frame per task, a Map from taskUUID to resolver, videos polled every 300 ms); **runware-rx** through its public API from the freshly built `dist/`, as users install it (`npm run bench` builds first; Promise path `await runware.imageInference(...)`, Observable path `runware.imageInference$(...).subscribe(...)` with one subscriber keeping the result items, as a UI consumes events), default options; **@runware/sdk-js 1.3.2**, its Node `RunwareServer` class with `url`. A client that fails or hangs is bounded by a timeout and shown as n/a with the reason; the official SDK is not retried after its first failure in a scenario.',
];

const started = performance.now();
await prepareWorker();
const notes = machineNotes();
log('# runware-rx benchmarks');
log(renderMachineNotes(notes));

const sections: Section[] = [];
try {
  for (const scenario of SCENARIO_LIST) {
    if (!selected(scenario.id)) continue;
    log(`\n## ${scenario.title}`);
    const section = await guarded(scenario.title, () => runScenario(scenario));
    printSection(section);
    sections.push(section);
  }
  if (selected('bundle')) {
    log('\n## Browser bundle');
    // A build, not a timing (and esbuild's own service process would count as "other").
    const section: Section = { title: 'Browser bundle', report: await measureBundles(), foreign: null };
    printSection(section);
    sections.push(section);
  }
} finally {
  killAll();
}

const totalMs = performance.now() - started;
const targets = sections.flatMap(({ report }) => report.targets);
log('\n## Targets');
log(targets.map(renderTarget).join('\n'));
log(`\nTotal runtime: ${seconds(totalMs)}`);

if (options.out !== '-') {
  const markdown = [
    '# runware-rx benchmarks',
    '',
    'Generated by `npm run bench` (bench/run.ts); do not edit by hand.',
    '',
    '## Machine',
    '',
    renderMachineNotes(notes),
    `- Total runtime of this run: ${seconds(totalMs)}`,
    `- Cores used by other processes while each scenario ran (the harness first waits up to ${MAX_WAIT_PER_SCENARIO_MS / 1000} s for them to drop below ${QUIET_THRESHOLD_CORES}): ${sections
      .filter((section) => section.foreign !== null)
      .map((section) => `${section.title}: ${section.foreign === undefined || section.foreign === null ? 'n/a' : section.foreign.toFixed(2)}`)
      .join('; ')}`,
    '',
    '## Method',
    '',
    ...METHOD.map((line) => `- ${line}`),
    '',
    '## Targets',
    '',
    '```',
    ...targets.map(renderTarget),
    '```',
    '',
    '## Results',
    '',
    ...sections.flatMap(({ report, foreign }) => [...report.tables.flatMap((table) => [renderTable(table), '']), ...loadNote(foreign).flatMap((note) => [note, ''])]),
  ].join('\n');
  writeFileSync(options.out, markdown);
  log(`Wrote ${options.out}`);
}
process.exit(0);
