import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The layer rules (.dependency-cruiser.cjs) are run the way `npm run lint` runs them, on a copy
 * of src/: once as it is, once with forbidden imports planted. A rule whose patterns match
 * nothing would pass silently, so each planted import must be caught by name.
 */

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}
interface CruiseResult {
  readonly modules: readonly { readonly source: string; readonly dependencies: readonly { readonly resolved: string; readonly couldNotResolve: boolean }[] }[];
  readonly summary: { readonly violations: readonly Violation[] };
}

let copy: string;

async function cruise(): Promise<CruiseResult> {
  // The command exits non-zero when it finds violations; its JSON report is what matters here.
  const output = await run(process.execPath, [CLI, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: copy, maxBuffer: 64 * 1024 * 1024 }).catch(
    (failure: { stdout?: string }) => ({ stdout: failure.stdout ?? '' }),
  );
  return JSON.parse(output.stdout) as CruiseResult;
}

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'runware-rx-layers-'));
  await cp(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
  for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json', 'tsconfig.node.json', 'tsconfig.base.json', 'package.json']) await cp(join(ROOT, file), join(copy, file));
  await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
}, 30_000);

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe('the layer rules', () => {
  it('pass on the sources as they are, every import resolved (.js specifiers to .ts files)', async () => {
    const result = await cruise();
    expect(result.summary.violations).toEqual([]);
    const client = result.modules.find((module) => module.source === 'src/client/create-runware.ts');
    expect(client?.dependencies.map((dependency) => dependency.resolved)).toContain('src/tasks/registry.ts');
    expect(result.modules.flatMap((module) => module.dependencies).filter((dependency) => dependency.couldNotResolve)).toEqual([]);
  }, 60_000);

  it('fail on an upward import, an unclaimed file, the SDK importing the simulator, the simulator importing the SDK, the relay importing the request engine and anything importing the relay', async () => {
    const plant = async (path: string, text: string): Promise<void> => {
      await mkdir(join(copy, path, '..'), { recursive: true });
      await writeFile(join(copy, path), text);
    };
    await plant('src/transport/upward.ts', "import { createRunware } from '../client/create-runware.js';\nexport const upward = createRunware;\n");
    await plant('src/operators/into-request.ts', "import { runTask } from '../request/task-run.js';\nexport const intoRequest = runTask;\n");
    await plant('src/connection/into-tasks.ts', "import { allTasks } from '../tasks/registry.js';\nexport const intoTasks = allTasks;\n");
    await plant('src/helpers/unclaimed.ts', 'export const unclaimed = 1;\n');
    await plant('src/client/into-simulator.ts', "import { startSimulator } from '../simulator/index.js';\nexport const intoSimulator = startSimulator;\n");
    await plant('src/simulator/into-sdk.ts', "import { createRunware } from '../client/create-runware.js';\nexport const intoSdk = createRunware;\n");
    await plant('src/request/node-only.ts', "import { readFile } from 'node:fs/promises';\nexport const nodeOnly = readFile;\n");
    await plant('src/relay/into-request.ts', "import { runTask } from '../request/task-run.js';\nexport const intoRequest = runTask;\n");
    await plant('src/connection/into-relay.ts', "import { createRelay } from '../relay/create-relay.js';\nexport const intoRelay = createRelay;\n");
    const found = (await cruise()).summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'not-in-allowed: src/transport/upward.ts → src/client/create-runware.ts',
        'not-in-allowed: src/operators/into-request.ts → src/request/task-run.ts',
        'not-in-allowed: src/connection/into-tasks.ts → src/tasks/registry.ts',
        'unclaimed-orphan: src/helpers/unclaimed.ts → src/helpers/unclaimed.ts',
        'not-in-allowed: src/client/into-simulator.ts → src/simulator/index.ts',
        'not-in-allowed: src/simulator/into-sdk.ts → src/client/create-runware.ts',
        'not-in-allowed: src/request/node-only.ts → fs/promises',
        'not-in-allowed: src/relay/into-request.ts → src/request/task-run.ts',
        'not-in-allowed: src/connection/into-relay.ts → src/relay/create-relay.ts',
      ]),
    );
  }, 60_000);
});
