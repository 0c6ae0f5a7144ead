/*
 * The library build: ESM and CJS for the public entries, the `runware-simulator` command
 * (ESM only), and bundled declarations (`.d.ts` for import, `.d.cts` for require).
 *
 * Dependencies and peer dependencies stay external so an app shares one rxjs `Observable` with
 * us and its own bundler picks isomorphic-ws's browser file; nothing is minified. The one
 * exception is nanoid in the CommonJS files (see `bundledInCommonJs`).
 */
import { chmod, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

// Chunk names carry content hashes: without a clean slate, stale chunks from earlier builds
// would pile up in dist/ and be published with the next `npm pack`.
await rm(new URL('./dist/', import.meta.url), { recursive: true, force: true });

const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));

/** Packages imported by name that a consumer installs (or that are optional for the simulator). */
const externalPackages = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  'rxjs',
  'isomorphic-ws',
  'ws',
  'valibot',
  'nanoid',
  'sharp',
  'h264-mp4-encoder',
]);
const builtins = new Set(builtinModules);

/**
 * Dependencies that publish only ES modules, so a `require()` of them fails wherever require(esm)
 * is missing: Jest's module loader, tsx's CommonJS loader, Node < 20.19. The CommonJS build
 * carries its own copy instead (nanoid is 130 bytes). It is nanoid's browser variant, which uses
 * the global Web Crypto (Node >= 19, browsers, Jest) rather than `node:crypto`, so the CommonJS
 * files stay as portable as the ES ones. The ES build keeps nanoid external, shared and deduped.
 */
const bundledInCommonJs = new Set(['nanoid']);

const packageName = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);

/** `rxjs`, `rxjs/operators`, `node:http`, `http`... external; relative paths are ours, bundled. */
const external = (id) => {
  if (id.startsWith('node:') || builtins.has(id)) return true;
  return externalPackages.has(packageName(id));
};

/** The same, less the ES-only packages that the CommonJS files must carry. */
const externalForCommonJs = (id) => external(id) && !bundledInCommonJs.has(packageName(id));

/** Resolves the ES-only packages for bundling, and nothing else. */
const resolveBundledInCommonJs = () =>
  nodeResolve({ resolveOnly: [...bundledInCommonJs], browser: true, preferBuiltins: false });

const entries = {
  index: 'src/index.ts',
  operators: 'src/operators/index.ts',
  tasks: 'src/tasks/index.ts',
  node: 'src/node/index.ts',
  simulator: 'src/simulator/index.ts',
  relay: 'src/relay/index.ts',
};

/**
 * `--silent` hides warnings, so the ones that mean a broken package fail the build instead: an
 * import nothing resolves (it would be left as a bare import that consumers cannot satisfy), a
 * missing export, or a circular dependency in our own sources.
 */
const onwarn = (warning, warn) => {
  if (['UNRESOLVED_IMPORT', 'MISSING_EXPORT', 'CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED'].includes(warning.code)) {
    throw new Error(`rollup: ${warning.message}`);
  }
  warn(warning);
};

/**
 * External packages are imported for their exports only: without this, rollup keeps bare
 * `import 'rxjs'` lines in entries that merely re-export a chunk.
 */
const treeshake = { moduleSideEffects: 'no-external' };

const transpile = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', minify: false, sourceMap: false });

/** The command must be runnable as `./dist/simulator-cli.js`, not only through npm's bin shim. */
const executable = (fileName) => ({
  name: 'executable',
  async writeBundle(options, bundle) {
    if (bundle[fileName]) await chmod(`${options.dir}/${fileName}`, 0o755);
  },
});

const CLI = 'simulator-cli.js';

/**
 * Modules whose declarations only `index.d.ts` holds; the other entries' declarations import them
 * from `runware-rx`. A `unique symbol` is a new type in every file that declares it, so with its
 * own copy of `MEDIA_SOURCE` each file had a `MediaSource` of its own: what `fromFile` returns
 * (runware-rx/node) was no media input to createRunware()'s methods, nor an `ImageInferenceParams`
 * (runware-rx/tasks) their parameters. Every name these modules declare is exported by src/index.ts.
 */
const declaredInIndex = new Set(['src/tasks/media-value.ts'].map((path) => fileURLToPath(new URL(path, import.meta.url))));

/** Resolves the imports of `declaredInIndex` to the package itself, for the entries other than index. */
const importFromIndex = () => ({
  name: 'import-from-index',
  resolveId(source, importer) {
    if (importer === undefined || !source.startsWith('.')) return null;
    const target = resolve(dirname(importer), source).replace(/\.js$/, '.ts');
    return declaredInIndex.has(target) ? { id: pkg.name, external: true } : null;
  },
});

export default [
  {
    input: { ...entries, 'simulator-cli': 'src/simulator/cli.ts' },
    external,
    onwarn,
    treeshake,
    plugins: [transpile(), executable(CLI)],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/shared-[hash].js',
      // Entries import only what they use; no bare `import 'rxjs'` hoisted from shared chunks.
      hoistTransitiveImports: false,
      generatedCode: 'es2015',
    },
  },
  {
    input: entries,
    external: externalForCommonJs,
    onwarn,
    treeshake,
    plugins: [resolveBundledInCommonJs(), transpile()],
    output: {
      dir: 'dist',
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: 'chunks/shared-[hash].cjs',
      hoistTransitiveImports: false,
      generatedCode: 'es2015',
      // The only default import is isomorphic-ws, whose Node file is `module.exports = require('ws')`.
      interop: 'auto',
      exports: 'named',
    },
  },
  // Declarations: one file per entry and module format, self-contained but for what index.d.ts
  // declares for all (`declaredInIndex`), so a `.d.cts` never has to import an ESM-flavoured
  // `.d.ts` chunk (TypeScript would treat that as an ESM import): it imports `runware-rx`, which
  // require resolves to index.d.cts.
  ...Object.entries(entries).map(([name, input]) => ({
    input,
    external,
    onwarn,
    plugins: [
      ...(name === 'index' ? [] : [importFromIndex()]),
      dts({ tsconfig: ['simulator', 'node', 'relay'].includes(name) ? 'tsconfig.node.json' : 'tsconfig.json' }),
    ],
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
  })),
];
