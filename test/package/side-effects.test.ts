import nodeResolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { describe, expect, it } from 'vitest';

/*
 * No module may do work when imported: a bundle that imports an entry only for its side effects
 * must come out empty (as rxjs checks with its test:side-effects). Each of our modules is marked as
 * one that may have side effects (in a transform, which overrides what node-resolve read from our
 * package.json), so our own "sideEffects": false cannot let a module off; dependencies are bundled
 * as a consumer would (with their own sideEffects and pure annotations: valibot's schema builders
 * carry them). Checked by mutation: a top-level `globalThis.leak = 1;` in any module of an entry
 * comes out in its bundle.
 */

const root = new URL('../../', import.meta.url).pathname;
// isomorphic-ws is left out: its browser shim reads the global WebSocket when imported (a few
// harmless bytes in a consumer's bundle, and its own, not ours).
const EXTERNAL = /^(ws|isomorphic-ws|sharp|h264-mp4-encoder)(\/|$)|^node:/;

async function bundleImportOnly(entry: string): Promise<string> {
  const bundle = await rollup({
    input: 'entry',
    external: (id) => EXTERNAL.test(id),
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) => (id === 'entry' ? `import ${JSON.stringify(`${root}${entry}`)};` : null),
      },
      nodeResolve({ browser: !['/simulator/', '/node/', '/relay/'].some((part) => entry.includes(part)), preferBuiltins: true }),
      esbuild({ target: 'es2022', tsconfig: `${root}tsconfig.json` }),
      {
        name: 'ours-may-have-side-effects',
        transform: (code, id) => (id.includes('/node_modules/') ? null : { code, map: null, moduleSideEffects: true }),
      },
    ],
    onwarn: () => undefined,
  });
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  // Imports of external Node packages stay (rollup keeps them; their side effects are theirs).
  return output[0].code.replace(/^import\s[^;]*;$/gm, '').trim();
}

describe('importing an entry does nothing', () => {
  it.each([
    ['runware-rx', 'src/index.ts'],
    ['runware-rx/operators', 'src/operators/index.ts'],
    ['runware-rx/tasks', 'src/tasks/index.ts'],
    ['runware-rx/node', 'src/node/index.ts'],
    ['runware-rx/simulator', 'src/simulator/index.ts'],
    ['runware-rx/relay', 'src/relay/index.ts'],
  ])('%s bundles to nothing when only imported', async (_name, entry) => {
    expect(await bundleImportOnly(entry)).toBe('');
  });
});
