import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * No module may do work when imported: a bundle that imports an entry only for its side effects
 * must come out empty (as rxjs checks with its test:side-effects). The package says
 * "sideEffects": false; this proves it is true.
 */

const root = new URL('../../', import.meta.url).pathname;

async function bundleImportOnly(entry: string, platform: 'browser' | 'node'): Promise<string> {
  const result = await build({
    stdin: { contents: `import ${JSON.stringify(entry)};`, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform,
    write: false,
    logLevel: 'silent',
    external: ['rxjs', 'rxjs/*', 'valibot', 'nanoid', 'isomorphic-ws', 'ws', 'sharp', 'h264-mp4-encoder'],
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('importing an entry does nothing', () => {
  it.each([
    ['runware-rx', './src/index.ts', 'browser'],
    ['runware-rx/operators', './src/operators/index.ts', 'browser'],
    ['runware-rx/simulator', './src/simulator/index.ts', 'node'],
  ] as const)('%s bundles to nothing when only imported', async (_name, entry, platform) => {
    expect((await bundleImportOnly(entry, platform)).trim()).toBe('');
  });
});
