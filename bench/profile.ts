/**
 * Profiles one client on one workload, to see where the time or the memory goes when a target
 * is missed. Not part of `npm run bench`. Run it as
 *
 *   node_modules/.bin/tsx --tsconfig tsconfig.node.json --expose-gc bench/profile.ts <workload> [client] [n] [--profile=realistic]
 *
 * workloads: sequential | concurrent | connect | videos (CPU profile of the measured part only,
 * via the inspector) and heap (two heap snapshots around n image tasks put in flight, diffed).
 * client: raw | rx-promise | rx-observable | official (default rx-promise); `--profile=realistic`
 * allocations: the bytes n concurrent image tasks allocate, per request, by allocating function
 * (V8's sampling heap profiler, collected objects included).
 * runs the simulator's realistic profile (one frame per result, latencies drawn around 25 ms;
 * `--image-latency=0` keeps one frame per result without the latency). Files are kept in
 * bench/.profiles/ (open a .cpuprofile in Chrome DevTools for the flame chart); a summary is
 * printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { loadClient } from './clients/index.js';
import type { BenchClient, ClientName } from './clients/types.js';
import { CLIENT_NAMES } from './clients/types.js';
import { renderAllocations, sampleAllocations, summariseAllocations } from './lib/allocation-profile.js';
import { renderCpuSummary, summariseCpuProfile } from './lib/cpu-profile.js';
import { tapFrames } from './lib/frame-tap.js';
import { diffHeap, renderHeapDiff } from './lib/heap-snapshot.js';
import { killAll } from './lib/processes.js';
import { BENCH_API_KEY } from './lib/scenario.js';
import { launchSimulator } from './lib/simulator.js';

const WORKLOADS = ['sequential', 'concurrent', 'connect', 'videos', 'heap', 'allocations'] as const;
type Workload = (typeof WORKLOADS)[number];

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const [workloadArg = '', clientArg = 'rx-promise', nArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flag = (name: string): string | undefined => flags.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const profileArg = flag('profile');
if (profileArg !== undefined && profileArg !== 'default' && profileArg !== 'realistic') throw new Error('--profile must be default or realistic');
const imageLatencyArg = flag('image-latency');
if (!WORKLOADS.includes(workloadArg as Workload) || !CLIENT_NAMES.includes(clientArg as ClientName)) {
  process.stderr.write(`usage: profile.ts <${WORKLOADS.join('|')}> [${CLIENT_NAMES.join('|')}] [n]\n`);
  process.exit(2);
}
const workload = workloadArg as Workload;
const clientName = clientArg as ClientName;
const defaults: Record<Workload, number> = { sequential: 2000, concurrent: 10_000, connect: 200, videos: 1000, heap: 2000, allocations: 10_000 };
const n = nArg === undefined ? defaults[workload] : Number(nArg);
const outDir = join('bench', '.profiles');
mkdirSync(outDir, { recursive: true });
const stem = join(outDir, `${workload}-${clientName}-${n}${profileArg === undefined ? '' : `-${profileArg}`}`);

const resolved = import.meta.resolve('runware-rx');
if (!resolved.endsWith('/dist/index.js')) throw new Error(`runware-rx resolves to ${resolved}; run npm run bench:profile`);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function cpuProfile(run: () => Promise<void>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  // tsx compiles each module to one line: map frames back to their TypeScript lines.
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    if (!frame.url.startsWith('file://') || frame.url.includes('/node_modules/')) continue;
    const entry = findSourceMap(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry !== undefined && 'originalLine' in entry) {
      frame.lineNumber = entry.originalLine;
      frame.columnNumber = entry.originalColumn;
    }
  }
  const path = `${stem}.cpuprofile`;
  writeFileSync(path, JSON.stringify(profile));
  process.stdout.write(`${workload} × ${n}, ${clientName}: ${elapsed.toFixed(0)} ms wall; profile in ${path}\n`);
  process.stdout.write(`${renderCpuSummary(summariseCpuProfile(path))}\n`);
}

const factory = await loadClient(clientName);
const simulator = await launchSimulator({
  ...(workload === 'heap' ? { apiKey: BENCH_API_KEY, imageLatencyMs: 60_000 } : { apiKey: BENCH_API_KEY, videoSeconds: 2 }),
  ...(profileArg === undefined ? {} : { profile: profileArg }),
  ...(imageLatencyArg === undefined ? {} : { imageLatencyMs: Number(imageLatencyArg) }),
});
const open = async (): Promise<BenchClient> => {
  const client = factory({ url: simulator.url, apiKey: BENCH_API_KEY });
  await client.connect();
  return client;
};

try {
  switch (workload) {
    case 'sequential': {
      const client = await open();
      for (let i = 0; i < 300; i += 1) await client.image();
      await cpuProfile(async () => {
        for (let i = 0; i < n; i += 1) await client.image();
      });
      await client.close();
      break;
    }
    case 'concurrent': {
      const client = await open();
      await Promise.all(Array.from({ length: 500 }, () => client.image()));
      await cpuProfile(async () => {
        await Promise.all(Array.from({ length: n }, () => client.image()));
      });
      await client.close();
      break;
    }
    case 'allocations': {
      const client = await open();
      await Promise.all(Array.from({ length: 500 }, () => client.image()));
      const session = new Session();
      session.connect();
      const head = await sampleAllocations(session, async () => {
        await Promise.all(Array.from({ length: n }, () => client.image()));
      });
      session.disconnect();
      process.stdout.write(`allocations × ${n} concurrent image tasks, ${clientName}:\n${renderAllocations(summariseAllocations(head, n))}\n`);
      await client.close();
      break;
    }
    case 'connect': {
      for (let i = 0; i < 10; i += 1) await (await open()).close();
      await cpuProfile(async () => {
        for (let i = 0; i < n; i += 1) await (await open()).close();
      });
      break;
    }
    case 'videos': {
      const client = await open();
      const tap = tapFrames({ parse: true });
      const started = performance.now();
      await cpuProfile(async () => {
        await Promise.all(Array.from({ length: n }, () => client.video()));
      });
      process.stdout.write('outbound frames (ms after the first call, task counts):\n');
      for (const frame of tap.frames) process.stdout.write(`  ${(frame.at - started).toFixed(1).padStart(8)}  ${JSON.stringify(frame.tasks)}\n`);
      tap.restore();
      await client.close();
      break;
    }
    case 'heap': {
      const client = await open();
      const tap = tapFrames({ needle: '"taskType":"imageInference"' });
      await sleep(50);
      gc();
      gc();
      const before = writeHeapSnapshot(`${stem}-before.heapsnapshot`);
      const inFlight: Promise<unknown>[] = [];
      for (let i = 0; i < n; i += 1) {
        const request = client.image();
        request.catch(() => undefined);
        inFlight.push(request);
      }
      while (tap.count() < n) await sleep(5);
      await sleep(20);
      gc();
      gc();
      const after = writeHeapSnapshot(`${stem}-after.heapsnapshot`);
      process.stdout.write(`heap × ${n} image tasks in flight, ${clientName}: snapshots ${before}, ${after}\n`);
      process.stdout.write(`${renderHeapDiff(diffHeap(before, after), n)}\n`);
      if (inFlight.length !== n) throw new Error('lost requests');
      break;
    }
  }
} finally {
  await simulator.close();
  killAll();
}
process.exit(0);
