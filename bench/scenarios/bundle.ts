/**
 * Browser bundle size of "connect + one image + one video" (bench/bundle/entry.ts, a client of
 * every task type; entry-two-tasks.ts, a client of those two only), built with
 * esbuild (`bundle`, `minify`, `platform: 'browser'`, ESM, ES2022), measured minified and
 * minified + gzip (level 9), counting what a page loads at start (the entry and its static chunks, with code splitting on). Own code: every dependency external. Including dependencies: only
 * what the entry reaches of them, after tree-shaking. The same for the official SDK's ESM entry.
 * Runs in the orchestrator process: it is a build, not a timing.
 */
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Report } from '../lib/scenario.js';
import { targetLine } from '../lib/scenario.js';
import { fmt } from '../lib/table.js';

interface BundleSize {
  readonly min: number;
  readonly gzip: number;
  /** Minified bytes in the output per package (`runware-rx` = our src/). */
  readonly byPackage: Readonly<Record<string, number>>;
  /** min+gzip bytes of the chunks loaded only on first use (dynamic imports), not counted above. */
  readonly lazyGzip: number;
}

interface Variant {
  readonly label: string;
  readonly entry: string;
  readonly external: readonly string[];
  readonly conditions?: readonly string[];
  readonly note: string;
}

const RX_DEPS = ['rxjs', 'valibot', 'nanoid', 'isomorphic-ws'];
const OFFICIAL_DEPS = ['uuid', 'ws'];

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match !== null) return match[1]!;
  return path.startsWith('src/') ? 'runware-rx' : path;
}

async function bundleSize(variant: Variant): Promise<BundleSize> {
  const result = await build({
    entryPoints: [variant.entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // Dynamic imports become chunks of their own, as an app's bundler (Vite, Rollup, webpack)
    // makes them: a page loads the entry and what it imports statically, the rest on first use.
    splitting: true,
    outdir: 'bench/.build/bundle',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Each entry of the package, mapped to its source the way package.json's exports map it to dist/.
    alias: { 'runware-rx/tasks': './src/tasks/index.ts', 'runware-rx': './src/index.ts' },
    external: [...variant.external],
    ...(variant.conditions === undefined ? {} : { conditions: [...variant.conditions] }),
  });
  const { outputs } = result.metafile;
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined)!;
  // What the page loads to run the entry: its file and every chunk it imports statically.
  const loaded = new Set<string>();
  const visit = (path: string): void => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const imported of outputs[path]!.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  const contents = new Map(result.outputFiles.map((file) => [relative(process.cwd(), file.path), file.contents]));
  const sizeOf = (paths: Iterable<string>): { min: number; gzip: number } => {
    const bytes = Buffer.concat([...paths].map((path) => contents.get(path)!));
    return { min: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
  };
  const byPackage: Record<string, number> = {};
  for (const path of loaded) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[path]!.inputs)) {
      const name = packageOf(input);
      byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
    }
  }
  const lazy = Object.keys(outputs).filter((path) => !loaded.has(path) && path.endsWith('.js'));
  return { ...sizeOf(loaded), byPackage, lazyGzip: lazy.length === 0 ? 0 : sizeOf(lazy).gzip };
}

const KB = 1024;
const OWN_BUDGET = 12 * KB;
const TOTAL_BUDGET = 20 * KB;

export async function measureBundles(): Promise<Report> {
  const variants: Variant[] = [
    { label: 'runware-rx, own code', entry: 'bench/bundle/entry.ts', external: RX_DEPS, note: `${RX_DEPS.join(', ')} external` },
    {
      label: 'runware-rx + rxjs/valibot/nanoid parts',
      entry: 'bench/bundle/entry.ts',
      external: [],
      note: "default resolution: rxjs's `default` export (esm5 build); isomorphic-ws → its browser file",
    },
    {
      label: 'runware-rx + deps, rxjs es2015 build',
      entry: 'bench/bundle/entry.ts',
      external: [],
      conditions: ['es2015'],
      note: 'with the `es2015` export condition (rxjs ES2015 build), as Angular-style setups resolve it',
    },
    {
      label: 'runware-rx, two tasks, own code',
      entry: 'bench/bundle/entry-two-tasks.ts',
      external: RX_DEPS,
      note: `createRunwareClient with imageInference and videoInference only; ${RX_DEPS.join(', ')} external`,
    },
    { label: 'runware-rx, two tasks + deps', entry: 'bench/bundle/entry-two-tasks.ts', external: [], note: 'the same, with what it reaches of its dependencies' },
    { label: '@runware/sdk-js 1.3.2, own code', entry: 'bench/bundle/official-entry.ts', external: OFFICIAL_DEPS, note: `${OFFICIAL_DEPS.join(', ')} external` },
    {
      label: '@runware/sdk-js 1.3.2 + deps',
      entry: 'bench/bundle/official-entry.ts',
      external: [],
      note: "uuid's browser build, ws's browser stub (its Node class is imported at top level and cannot be shaken)",
    },
  ];
  const sizes = await Promise.all(variants.map(bundleSize));
  const rows = variants.map((variant, index) => {
    const size = sizes[index]!;
    const parts = Object.entries(size.byPackage)
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${fmt(bytes / KB, 1)}`)
      .join(', ');
    const lazy = size.lazyGzip === 0 ? '' : `; ${fmt(size.lazyGzip / KB, 1)} KB min+gzip more in chunks loaded on first use (streamed text over HTTP)`;
    return [variant.label, fmt(size.min / KB, 1), fmt(size.gzip / KB, 1), parts, `${variant.note}${lazy}`];
  });
  const own = sizes[0]!.gzip;
  const total = sizes[1]!.gzip;
  const twoOwn = sizes[3]!.gzip;
  const twoTotal = sizes[4]!.gzip;
  return {
    tables: [
      {
        title: 'Browser bundle: connect + one image + one video',
        columns: ['bundle', 'min KB', 'min+gzip KB', 'minified KB by package (before gzip)', 'note'],
        rows,
        notes: [
          'esbuild --bundle --minify --splitting --platform=browser --format=esm --target=es2022, tree-shaken; gzip level 9; KB = 1024 bytes. runware-rx from src/ (bench/bundle/entry.ts), the official SDK from its ESM entry (bench/bundle/official-entry.ts). The sizes are what a page loads to run the entry: its file and the chunks it imports statically; chunks of dynamic imports load on first use and are named in the note.',
          'tslib is a dependency of rxjs (its helpers); it is counted with the rxjs parts.',
          ...((sizes[1]!.byPackage['nanoid'] ?? 0) === 0 ? ['nanoid is a dependency of runware-rx, but nothing the browser entry reaches imports it.'] : []),
        ],
      },
    ],
    targets: [
      targetLine(own <= OWN_BUDGET, `bundle min+gzip ≤ 12 KB own code — runware-rx: ${fmt(own / KB, 1)} KB`),
      targetLine(total <= TOTAL_BUDGET, `bundle min+gzip ≤ 20 KB including rxjs/valibot/nanoid parts — runware-rx: ${fmt(total / KB, 1)} KB`),
      targetLine(twoOwn <= OWN_BUDGET, `bundle min+gzip ≤ 12 KB own code, client of two tasks — runware-rx: ${fmt(twoOwn / KB, 1)} KB`),
      targetLine(twoTotal <= TOTAL_BUDGET, `bundle min+gzip ≤ 20 KB including dependencies, client of two tasks — runware-rx: ${fmt(twoTotal / KB, 1)} KB`),
    ],
  };
}
