import { builtinModules, createRequire } from 'node:module';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackedPackage, RunResult } from './support/consumer-project.js';
import { describeRun, packPackage, readmeCodeBlock, repoRoot, run, startCommand, tool } from './support/consumer-project.js';

/*
 * The consumer matrix: the tarball `npm publish` would upload, installed in a fresh project
 * (made by `npm init -y`, which is CommonJS) and used the ways users use it. The project installs
 * only the tarball, with its dependencies from npm's cache; the tools (tsc, tsx, jest) are this
 * repository's own. Each scenario is a file under consumers/ copied into the project.
 */

const fixtures = fileURLToPath(new URL('./consumers/', import.meta.url));
const node = process.execPath;
const tsx = tool('tsx/dist/cli.mjs');
const tsc = tool('typescript/bin/tsc');
const jest = tool('jest/bin/jest.js');

let work: string;
let project: string;
let packed: PackedPackage;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'runware-consumers-'));
  packed = await packPackage(work);
  project = join(work, 'project');
  await mkdir(project);
  await npm(['init', '-y']);
  await npm(['install', packed.tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  await cp(fixtures, project, { recursive: true });
}, 300_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function npm(args: string[]): Promise<void> {
  const result = await run('npm', args, { cwd: project });
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')}: ${describeRun(result)}`);
}

const installed = (path = ''): string => join(project, 'node_modules/runware-rx', path);

/** Asserts a scenario ran and reads the observations its last stdout line reports. */
function observations(result: RunResult): Record<string, unknown> {
  expect(result.code, describeRun(result)).toBe(0);
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

/** What every runtime scenario must have seen, with the entries resolved to the given files. */
function expectRoundTrip(seen: Record<string, unknown>, files: readonly string[], toLocation: (path: string) => string): void {
  expect(seen['resolved']).toEqual(files.map((file) => toLocation(installed(file))));
  expect(seen['imageURL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/placeholder\.jpg$/);
  expect(seen['events']).toEqual(['submitted', 'result']);
  // The invalid request was refused before sending: the simulator saw the three valid ones only.
  expect(seen['invalid']).toEqual({ isRunwareError: true, code: 'validation', parameter: 'width' });
  expect(seen['tasksReceived']).toMatchObject({ imageInference: 3 });
  expect(seen['smallClient']).toEqual({ imageURL: 'string', video: 'undefined' });
  expect(seen['backoff']).toEqual([100, 200, 400]);
}

const ESM_FILES = ['dist/index.js', 'dist/operators.js', 'dist/simulator.js', 'dist/tasks.js'];
const CJS_FILES = ['dist/index.cjs', 'dist/operators.cjs', 'dist/simulator.cjs', 'dist/tasks.cjs'];
const asFileUrl = (path: string): string => pathToFileURL(path).href;
const asPath = (path: string): string => path;

/** True when Node loads this file as an ES module: `.mjs`, or `.js` under `"type": "module"`. */
async function isEsModule(file: string): Promise<boolean> {
  if (extname(file) === '.mjs') return true;
  if (extname(file) !== '.js') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined) return (JSON.parse(manifest) as { type?: string }).type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

// Each scenario starts processes (tsc takes seconds); a bound for a busy machine, not a measurement.
const SCENARIO = { timeout: 180_000 };

describe('the packed tarball in a fresh project', SCENARIO, () => {
  it('holds the builds, the declarations, LICENSE, CHANGELOG.md and the docs', () => {
    expect(packed.files).toEqual(expect.arrayContaining([...ESM_FILES, ...CJS_FILES, 'dist/simulator-cli.js', 'dist/relay.js', 'dist/relay.cjs', 'dist/relay.d.ts', 'dist/relay.d.cts']));
    expect(packed.files).toEqual(expect.arrayContaining(['dist/index.d.ts', 'dist/index.d.cts', 'LICENSE', 'CHANGELOG.md', 'README.md']));
    expect(packed.files).toContain('docs/migrating-from-sdk-js.md');
  });

  it('ships CommonJS files that require() no ES-only package (Jest, tsx and Node < 20.19 cannot)', async () => {
    const offenders: string[] = [];
    for (const file of packed.files.filter((path) => path.endsWith('.cjs'))) {
      const source = await readFile(installed(file), 'utf8');
      const requireFrom = createRequire(installed(file));
      for (const [, specifier] of source.matchAll(/\brequire\(['"]([^'"]+)['"]\)/g)) {
        if (specifier === undefined || specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        const resolved = requireFrom.resolve(specifier);
        if (await isEsModule(resolved)) offenders.push(`${file} requires "${specifier}", an ES module (${resolved})`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('works with `import` in an ES module project', async () => {
    const seen = observations(await run(node, ['esm/main.js'], { cwd: project }));
    expectRoundTrip(seen, ESM_FILES, asFileUrl);
  });

  it.each([
    ['as Node runs it', []],
    // Without require(esm), as on Node < 20.19 and in loaders that lack it: the CJS build must not need it.
    ['with --no-experimental-require-module', ['--no-experimental-require-module']],
  ])('works with `require` in a CommonJS project, %s', async (_how, flags) => {
    const result = await run(node, [...flags, 'commonjs/main.js'], { cwd: project });
    expectRoundTrip(observations(result), CJS_FILES, asPath);
    expect(result.stderr).toBe('');
  });

  it('works under Jest with its default CommonJS transform', async () => {
    const result = await run(
      node,
      [jest, '--rootDir', join(project, 'jest'), '--ci', '--json', '--no-watchman', '--cacheDirectory', join(work, 'jest-cache')],
      { cwd: project },
    );
    expect(result.code, describeRun(result)).toBe(0);
    const report = JSON.parse(result.stdout) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number };
    expect(report).toMatchObject({ numTotalTestSuites: 1, numPassedTests: 1, numFailedTests: 0 });
  });

  it.each([
    ['`import`', 'relay/main.mjs', 'dist/relay.js', asFileUrl],
    ['`require`', 'relay/main.cjs', 'dist/relay.cjs', asPath],
  ])('runs runware-rx/relay with %s: a client through it, the real key only upstream', async (_how, file, built, toLocation) => {
    const seen = observations(await run(node, [file], { cwd: project }));
    expect(seen).toEqual({ resolved: toLocation(installed(built)), imageURL: expect.stringMatching(/\/media\/placeholder\.jpg$/), upstreamSawTheRealKey: [true] });
  });

  it('works under tsx from a .cts file (CommonJS)', async () => {
    expectRoundTrip(observations(await run(node, [tsx, 'tsx/main.cts'], { cwd: project })), CJS_FILES, asPath);
  });

  it('works under tsx from a .mts file (ES module)', async () => {
    expectRoundTrip(observations(await run(node, [tsx, 'tsx/main.mts'], { cwd: project })), ESM_FILES, asFileUrl);
  });

  const strict = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true };
  const nodeTypes = { types: ['node'], typeRoots: [tool('@types')], lib: ['ES2022'] };
  // The surface as an ES module and as CommonJS sees it, and the types of one entry in the functions of another.
  const NODE_CONSUMERS = ['consumer.mts', 'consumer.cts', 'across-entries.mts', 'across-entries.cts'];
  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16', target: 'ES2022', ...nodeTypes }, NODE_CONSUMERS],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', ...nodeTypes }, NODE_CONSUMERS],
    // A browser app built by a bundler: DOM types, no Node types.
    ['bundler', { module: 'esnext', moduleResolution: 'bundler', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [] }, ['consumer-bundler.ts', 'across-entries-bundler.ts']],
  ])('type-checks with moduleResolution %s', async (name, options, files) => {
    const config = join(project, 'typescript', `tsconfig.${name}.json`);
    await writeFile(config, JSON.stringify({ compilerOptions: { ...strict, ...options }, files }, null, 2));
    const result = await run(node, [tsc, '-p', config], { cwd: project });
    expect(result.code, describeRun(result)).toBe(0);
  });

  // The oldest TypeScript the README promises: 5.0 cannot read valibot's declarations.
  it('type-checks with TypeScript 5.1, the oldest supported', async () => {
    const config = join(project, 'typescript', 'tsconfig.ts51.json');
    const options = { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', ...nodeTypes };
    await writeFile(config, JSON.stringify({ compilerOptions: { ...strict, ...options }, files: NODE_CONSUMERS }, null, 2));
    // Installed beside the project, not in this repository: two `typescript` packages would fight
    // over the `tsc` bin that every script here runs.
    const oldest = join(work, 'typescript-5.1');
    await mkdir(oldest);
    const install = await run('npm', ['install', '--prefix', oldest, 'typescript@5.1.6', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: oldest });
    expect(install.code, describeRun(install)).toBe(0);
    const result = await run(node, [join(oldest, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: project });
    expect(result.code, describeRun(result)).toBe(0);
  });

  it('passes publint and arethetypeswrong', async () => {
    const publint = await run(node, [tool('publint/src/cli.js'), packed.tarball, '--strict'], { cwd: work });
    expect(publint.code, describeRun(publint)).toBe(0);
    const attw = await run(node, [tool('@arethetypeswrong/cli/dist/index.js'), packed.tarball, '--profile', 'node16', '--no-definitely-typed'], {
      cwd: work,
    });
    expect(attw.code, describeRun(attw)).toBe(0);
  });
});

describe('the README quick start in the project made by `npm init -y`', SCENARIO, () => {
  /** Runs the README's code, saved under `file`, against the packed simulator command. */
  async function runQuickStart(command: string[], file: string, cwd = project) {
    await writeFile(join(cwd, file), await readmeCodeBlock('Quick start', 'ts'));
    // The command as the README gives it, from the installed package: without sharp and
    // h264-mp4-encoder (optional peers npm does not install), so it must say so and serve placeholders.
    const simulator = await startCommand(join(project, 'node_modules/.bin/runware-simulator'), ['--port', '0'], project);
    try {
      return { result: await run(node, [...command, file], { cwd, env: { RUNWARE_API_KEY: 'any-key', RUNWARE_URL: simulator.firstLine } }), simulator };
    } finally {
      await simulator.stop();
    }
  }

  it('runs as quick-start.mts under tsx, and the packed simulator says it serves placeholders', async () => {
    const { result, simulator } = await runQuickStart([tsx], 'quick-start.mts');
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/placeholder\.jpg$/);
    expect(simulator.firstLine).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(simulator.stderr()).toContain('serving placeholder images, videos, MP3/OGG audio and SVG tracings');
    expect(simulator.stderr()).toContain('the optional packages sharp, h264-mp4-encoder, wasm-media-encoders, imagetracerjs and mediabunny are not installed');
    expect(simulator.stderr()).toContain('npm install --save-dev sharp h264-mp4-encoder wasm-media-encoders imagetracerjs mediabunny');
    expect(simulator.stderr()).toContain('placeholder images, placeholder videos');
  });

  it('runs as quick-start.mjs under plain node', async () => {
    const { result } = await runQuickStart([], 'quick-start.mjs');
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/placeholder\.jpg$/);
  });

  it('fails as quick-start.ts in the CommonJS project, with the error the README explains', async () => {
    const { result } = await runQuickStart([tsx], 'quick-start.ts');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Top-level await is currently not supported with the "cjs" output format');
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('Top-level await is currently not supported with the "cjs" output format');
  });

  it('runs as quick-start.ts once the project is `"type": "module"` (npm pkg set type=module)', async () => {
    const moduleProject = join(project, 'type-module');
    await mkdir(moduleProject);
    await run('npm', ['init', '-y'], { cwd: moduleProject });
    await run('npm', ['pkg', 'set', 'type=module'], { cwd: moduleProject });
    const { result } = await runQuickStart([tsx], 'quick-start.ts', moduleProject);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/placeholder\.jpg$/);
  });
});
