/**
 * Browser bundle size of "connect + one image + one video" (bench/bundle/entry.ts, a client of
 * every task type; entry-two-tasks.ts, a client of those two only), built with
 * esbuild (`bundle`, `minify`, `platform: 'browser'`, ESM, ES2022), measured minified and
 * minified + gzip (level 9). Own code: every dependency external. Including dependencies: only
 * what the entry reaches of them, after tree-shaking. The same for the official SDK's ESM entry.
 * Runs in the orchestrator process: it is a build, not a timing.
 */
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
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Each entry of the package, mapped to its source the way package.json's exports map it to dist/.
    alias: { 'runware-rx/tasks': './src/tasks/index.ts', 'runware-rx': './src/index.ts' },
    external: [...variant.external],
    ...(variant.conditions === undefined ? {} : { conditions: [...variant.conditions] }),
  });
  const output = result.outputFiles[0]!;
  const byPackage: Record<string, number> = {};
  for (const meta of Object.values(result.metafile.outputs)) {
    for (const [path, input] of Object.entries(meta.inputs)) {
      const name = packageOf(path);
      byPackage[name] = (byPackage[name] ?? 0) + input.bytesInOutput;
    }
  }
  return { min: output.contents.byteLength, gzip: gzipSync(output.contents, { level: 9 }).byteLength, byPackage };
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
    return [variant.label, fmt(size.min / KB, 1), fmt(size.gzip / KB, 1), parts, variant.note];
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
          'esbuild --bundle --minify --platform=browser --format=esm --target=es2022, tree-shaken; gzip level 9; KB = 1024 bytes. runware-rx from src/ (bench/bundle/entry.ts), the official SDK from its ESM entry (bench/bundle/official-entry.ts).',
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
