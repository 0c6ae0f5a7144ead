/*
 * The package through a second bundler, esbuild for the browser (what Vite's dependency step
 * and many app builds run), from both its ESM and its CommonJS entries: no Node built-in and no
 * `ws` may be reached, and the ESM bundle must run a request in the page.
 */
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { expect, test } from './fixtures.js';
import { ROOT } from './paths.js';

const root = fileURLToPath(ROOT);

/** Bundles `contents` for the browser with `runware-rx` resolved to the built files. */
const bundle = async (contents: string, entry: 'index.js' | 'index.cjs'): Promise<{ code: string; inputs: string[] }> => {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    alias: { 'runware-rx': `${root}dist/${entry}`, 'runware-rx/operators': `${root}dist/operators.js`, 'runware-rx/tasks': `${root}dist/tasks.js` },
  });
  const [output] = result.outputFiles;
  return { code: output?.text ?? '', inputs: Object.keys((result.metafile as Metafile).inputs) };
};

const NODE_ONLY = /(^|\/)node_modules\/ws\/|^node:|(^|\/)(crypto|http|https|net|tls|zlib|stream|events|buffer|fs|timers)(\/|$)/;

test('esbuild for the browser bundles the ESM and the CommonJS entries without a Node built-in or ws, through isomorphic-ws and nanoid browser files', async () => {
  const esm = await bundle("export { createRunware } from 'runware-rx'; export { retryTransient } from 'runware-rx/operators'; export { imageInference } from 'runware-rx/tasks';", 'index.js');
  const cjs = await bundle("const { createRunware } = require('runware-rx'); globalThis.createRunware = createRunware;", 'index.cjs');
  for (const { inputs, code } of [esm, cjs]) {
    expect(inputs.filter((input) => NODE_ONLY.test(input))).toEqual([]);
    expect(inputs.filter((input) => input.endsWith('node_modules/isomorphic-ws/browser.js'))).toHaveLength(1);
    expect(code).not.toContain('permessage-deflate');
  }
  expect(esm.inputs.filter((input) => input.endsWith('node_modules/nanoid/index.browser.js'))).toHaveLength(1);
});

test("esbuild's ESM bundle runs an image request in the page over the native WebSocket", async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator();
  const { code } = await bundle("import { createRunware } from 'runware-rx'; window.esbuildCreateRunware = createRunware;", 'index.js');
  await app.addScriptTag({ content: code, type: 'module' });
  await app.waitForFunction(() => 'esbuildCreateRunware' in window);
  const outcome = await app.evaluate(async (url) => {
    const create = (window as unknown as { esbuildCreateRunware: NonNullable<Window['runwareE2E']>['createRunware'] }).esbuildCreateRunware;
    const runware = create({ apiKey: 'e2e-key', url });
    const images = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'bundled by esbuild', width: 512, height: 512 });
    await runware.disconnect();
    return { images: images.length, sockets: window.nativeSocketUrls };
  }, simulator.url);
  expect(outcome).toEqual({ images: 1, sockets: [simulator.url] });
  expect(pageErrors).toEqual([]);
});
