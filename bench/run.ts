/**
 * `npm run bench`: every scenario against the simulator (fast mode, its own process) in each of
 * its two delivery profiles, each client measured in its own child process, client order
 * alternated between repetitions, medians printed as one table per scenario with both profiles
 * side by side and ratios to the raw client of the same profile in this run, targets printed as
 * MET / MISSED per profile, a closing summary of the key figures, everything written to
 * bench/results.md.
 *
 * Options (for working on the harness; a full run takes none):
 *   --only=id,id   run these scenarios only (sequential, concurrent-2000, concurrent-10000,
 *                  connect, wrong-key, video-1, video-1000, bundle)
 *   --reps=N       repetitions per scenario instead of each scenario's own (5)
 *   --profiles=p,p simulator profiles to run (default, realistic; both by default)
 *   --out=PATH     where to write the results (default bench/results.md; "-" for nowhere)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClientName } from './clients/types.js';
import { prepareWorker, runChild } from './lib/child.js';
import type { CpuSample } from './lib/load.js';
import { foreignCores, sampleCpu, waitForQuiet, waitForSettled } from './lib/load.js';
import { machineNotes, renderMachineNotes } from './lib/machine.js';
import { killAll } from './lib/processes.js';
import type { SimulatorProfile } from 'runware-rx/simulator';
import type { ClientRuns, Report, Scenario } from './lib/scenario.js';
import { BENCH_API_KEY, BENCH_PROFILES, renderTarget } from './lib/scenario.js';
import type { ProfiledFigure, ProfiledReport } from './lib/side-by-side.js';
import { sideBySide, summaryTable } from './lib/side-by-side.js';
import type { SimulatorProcess } from './lib/simulator.js';
import { launchSimulator } from './lib/simulator.js';
import { renderTable } from './lib/table.js';
import { measureBundles } from './scenarios/bundle.js';
import { SCENARIO_LIST } from './scenarios/index.js';

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, reps: { type: 'string' }, profiles: { type: 'string' }, out: { type: 'string', default: 'bench/results.md' } },
  strict: true,
});
const only = options.only?.split(',').map((id) => id.trim());
const repsOverride = options.reps === undefined ? undefined : Number(options.reps);
if (repsOverride !== undefined && !(Number.isInteger(repsOverride) && repsOverride > 0)) throw new Error('--reps must be a positive integer');
const selected = (id: string): boolean => only === undefined || only.includes(id);
const profiles = (options.profiles?.split(',').map((name) => name.trim()) ?? BENCH_PROFILES) as SimulatorProfile[];
for (const profile of profiles) if (!BENCH_PROFILES.includes(profile)) throw new Error(`--profiles: unknown profile ${profile}`);

/** Clients whose first failure ends their repetitions in a scenario (slow or hanging by design). */
const STOP_AFTER_FAILURE: readonly ClientName[] = ['official'];

const log = (line = ''): void => void process.stdout.write(`${line}\n`);

/** How far to trust one run's figures: said on the console and in results.md. */
const NOISE =
  'The machine is shared: other processes may run while a scenario does (their load is noted per scenario), and sub-millisecond figures and ratios near a threshold move between runs by more than their differences here (see bench/findings.md for A/B rounds). Read ratios near a target as noise unless several runs agree.';
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Other processes may use this many cores before a scenario starts; above it, wait (bounded). */
const QUIET_THRESHOLD_CORES = 0.25;
const MAX_WAIT_PER_SCENARIO_MS = 30_000;
/** The longest wait for the simulators to settle before each child (see `waitForSettled`). */
const MAX_SETTLE_MS = 10_000;
let settleUnwatchedLogged = false;
const MAX_WAIT_TOTAL_MS = 120_000;
let waitedTotalMs = 0;

interface Section {
  readonly title: string;
  readonly report: Report;
  /** Key figures of every profile, for the closing summary. */
  readonly key: readonly ProfiledFigure[];
  /** Cores used by other processes while each profile ran (Linux only); empty for a section that is not timed. */
  readonly loads: readonly Load[];
}

interface Load {
  readonly profile: SimulatorProfile;
  /** Cores; `undefined` when it could not be measured. */
  readonly foreign: number | undefined;
}

interface Measured {
  readonly report: Report;
  readonly foreign: number | undefined;
}

/** Waits for a quiet machine (bounded), runs `body`, and measures what others used meanwhile. */
async function guarded(body: () => Promise<Report>): Promise<Measured> {
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
  return { report, foreign };
}

/** Runs a scenario once per profile (fresh simulators each time) and sets the reports side by side. */
async function runProfiles<R>(scenario: Scenario<R>): Promise<Section> {
  const reports: ProfiledReport[] = [];
  const loads: Load[] = [];
  for (const profile of profiles) {
    log(`  [${profile} profile]`);
    const { report, foreign } = await guarded(() => runScenario(scenario, profile));
    reports.push({ profile, report });
    loads.push({ profile, foreign });
  }
  const merged = sideBySide(reports);
  return { title: scenario.title, report: { tables: merged.tables, targets: merged.targets }, key: merged.key, loads };
}

const cores = (foreign: number | undefined): string => (foreign === undefined ? 'n/a' : foreign.toFixed(2));

const loadNote = (loads: readonly Load[]): string[] => {
  if (loads.length === 0) return [];
  if (loads.every(({ foreign }) => foreign === undefined)) return ['(other processes: not measured, no /proc)'];
  const skewed = loads.some(({ foreign }) => foreign !== undefined && foreign > 0.1);
  return [
    `(other processes used ${loads.map(({ profile, foreign }) => `${cores(foreign)} cores during the ${profile} run`).join(', ')}${skewed ? ' — figures may be skewed' : ''})`,
  ];
};

async function runScenario<R>(scenario: Scenario<R>, profile: SimulatorProfile): Promise<Report> {
  const reps = repsOverride ?? scenario.reps;
  const simulators: SimulatorProcess[] = [];
  const runs = new Map<ClientName, ClientRuns<R>>(scenario.clients.map((client) => [client, { values: [], failures: [] }]));
  try {
    const urls: Record<string, string> = {};
    for (const [role, flags] of Object.entries(scenario.simulators(profile))) {
      const simulator = await launchSimulator({ profile, ...flags });
      simulators.push(simulator);
      urls[role] = simulator.url;
    }
    for (let rep = 0; rep < reps; rep += 1) {
      const order = rep % 2 === 0 ? scenario.clients : [...scenario.clients].reverse();
      const done: string[] = [];
      for (const client of order) {
        const entry = runs.get(client)!;
        if (entry.skipped !== undefined) continue;
        const { params, timeoutMs } = scenario.plan(client, profile);
        const settling = await waitForSettled(simulators.map(({ pid }) => pid), MAX_SETTLE_MS);
        if (settling.watched === 0 && !settleUnwatchedLogged) {
          settleUnwatchedLogged = true;
          const why = existsSync('/proc/self/stat') ? 'their /proc/<pid>/stat cannot be read (have they exited?)' : 'no /proc here (Linux only)';
          log(`    (the simulators cannot be watched: ${why}, so children start without waiting for them to settle)`);
        }
        // Settled at the first window: a fraction of a millisecond of reading /proc, not worth a word.
        const settle = !settling.settled ? ` (simulators still busy after ${seconds(settling.waitedMs)})` : settling.waitedMs >= 100 ? ` (+${seconds(settling.waitedMs)} settling)` : '';
        const outcome = await runChild<R>({ scenario: scenario.id, client, urls, apiKey: BENCH_API_KEY, params, timeoutMs });
        if (outcome.ok) {
          entry.values.push(outcome.value);
          done.push(`${client} ${seconds(outcome.ms)}${settle}`);
        } else {
          entry.failures.push(outcome.reason);
          done.push(`${client} FAILED (${outcome.reason})`);
          if (STOP_AFTER_FAILURE.includes(client)) entry.skipped = `later repetitions skipped after: ${outcome.reason}`;
        }
      }
      log(`    rep ${rep + 1}/${reps}: ${done.join(', ')}`);
    }
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.close()));
  }
  return scenario.report(runs, profile);
}

function printSection(section: Section): void {
  for (const table of section.report.tables) log(`\n${renderTable(table)}`);
  for (const note of loadNote(section.loads)) log(`\n${note}`);
  if (section.report.targets.length > 0) log(`\n${section.report.targets.map(renderTarget).join('\n')}`);
}

const METHOD = [
  'Every scenario runs against the simulator in fast mode (bench/simulator-server.ts: the `runware-simulator` flags with `--fast --port 0`: no media generation) in its own process, started fresh for each scenario and profile and stopped after it.',
  'Each scenario runs twice, once per simulator profile, and the tables set them side by side (a `profile` column; ×raw is always to the raw client of the same profile). **default**: the results of one task ready in one event-loop turn share one frame (tasks never share one), no artificial latency, every generation of a task at once, `progress` on every video poll. **realistic** (`--profile realistic`): delivery as the real API does it as a rule: one frame per result, written when that result is ready; image latency log-normal around a median of 25 ms (σ 0.5 per task, σ 0.3 per generation), drawn from a seeded stream per session, so every client sees the same latencies for the same sequence of tasks; no `progress` on video polls. Two exceptions, stated in their tables: the memory phase of the concurrent scenarios holds every result exactly 15 s, and the video scenarios keep readiness exactly 2 s, in both profiles, so that the heap and the "resolved after ready" figures have a fixed reference.',
  'Each repetition of each client is a fresh child process (`node --expose-gc bench/.build/worker.mjs`, bench/worker.ts bundled by esbuild with every package external) that loads only that client, so heaps, JIT state and event loops never mix. Before each child the harness waits (up to 10 s) until the simulators of the scenario have settled (below 5 % of a core over 200 ms), so that what one child left a simulator doing (the 10,000 submissions of a memory phase are still being read when its child exits) does not land on the timed phase of the next child. The client order is reversed on every other repetition. Each figure is the median over repetitions (5 unless stated), and ×raw is that median divided by the raw client\'s median from the same run.',
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
    const section = await runProfiles(scenario);
    printSection(section);
    sections.push(section);
  }
  if (selected('bundle')) {
    log('\n## Browser bundle');
    // A build, not a timing (and esbuild's own service process would count as "other"); no
    // simulator, so no profile.
    const report = await measureBundles();
    const section: Section = { title: 'Browser bundle', report, key: [], loads: [] };
    printSection(section);
    sections.push(section);
  }
} finally {
  killAll();
}

const totalMs = performance.now() - started;
const targets = sections.flatMap(({ report }) => report.targets);
const summary = summaryTable(sections.flatMap(({ key }) => key));
log('\n## Targets');
log(targets.map(renderTarget).join('\n'));
log(`\n${renderTable(summary)}`);
log(`\n${NOISE}`);
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
    `- Cores used by other processes while each scenario ran, per profile (the harness first waits up to ${MAX_WAIT_PER_SCENARIO_MS / 1000} s for them to drop below ${QUIET_THRESHOLD_CORES}): ${sections
      .filter((section) => section.loads.length > 0)
      .map((section) => `${section.title}: ${section.loads.map(({ profile, foreign }) => `${profile} ${cores(foreign)}`).join(', ')}`)
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
    '## Key figures',
    '',
    renderTable(summary).replace(/^### .*\n\n/, ''),
    '',
    NOISE,
    '',
    '## Results',
    '',
    ...sections.flatMap(({ report, loads }) => [...report.tables.flatMap((table) => [renderTable(table), '']), ...loadNote(loads).flatMap((note) => [note, ''])]),
  ].join('\n');
  writeFileSync(options.out, markdown);
  log(`Wrote ${options.out}`);
}
process.exit(0);
