/*
 * The warning a raw-looking API key gets where every visitor can read it, in a web worker as in
 * a page: once, through the logger when there is one, never quoting the key.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from './fixtures.js';
import { ROOT } from './paths.js';

const root = fileURLToPath(ROOT);
const RAW_KEY = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';

/** A module worker's script: runware-rx bundled for the browser, then `body`, which posts what it saw. */
const workerScript = async (body: string): Promise<string> => {
  const result = await build({
    stdin: { contents: `import { createRunware } from 'runware-rx';\n${body}`, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent',
    alias: { 'runware-rx': `${root}dist/index.js` },
  });
  return result.outputFiles[0]?.text ?? '';
};

/** Runs a module worker in the page and resolves with the one message it posts. */
const runWorker = (page: import('@playwright/test').Page, script: string): Promise<unknown> =>
  page.evaluate(
    (code) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
        worker.onmessage = (event) => {
          resolve(event.data);
          worker.terminate();
        };
        worker.onerror = (event) => reject(new Error(event.message));
      }),
    script,
  );

test('in a web worker a raw-looking key warns once on the console, saying where the key belongs, without quoting it', async ({ app }) => {
  const script = await workerScript(`
    const warnings = [];
    console.warn = (...args) => warnings.push(args.map(String).join(' '));
    const url = 'ws://127.0.0.1:9/v1';
    createRunware({ apiKey: ${JSON.stringify(RAW_KEY)}, url });
    createRunware({ apiKey: ${JSON.stringify(RAW_KEY.replace('A', 'B'))}, url });
    createRunware({ apiKey: () => 'a token', url });
    postMessage(warnings);
  `);
  const warnings = (await runWorker(app, script)) as string[];
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^runware-rx: a Runware API key in a browser page is readable by everyone who loads the page\./);
  expect(warnings[0]).toContain('runware-rx/relay');
  expect(warnings[0]).toContain('dangerouslyAllowBrowser: true');
  expect(warnings[0]).not.toContain(RAW_KEY);
});

test("in a web worker the warning goes to the client's logger when it has one, once, and not to the console", async ({ app }) => {
  const script = await workerScript(`
    const warnings = [];
    const records = [];
    console.warn = (...args) => warnings.push(args.map(String).join(' '));
    const logger = (record) => records.push(record);
    const url = 'ws://127.0.0.1:9/v1';
    createRunware({ apiKey: ${JSON.stringify(RAW_KEY)}, url, logger });
    createRunware({ apiKey: ${JSON.stringify(RAW_KEY)}, url, logger });
    postMessage({ warnings, records: JSON.parse(JSON.stringify(records)) });
  `);
  const { warnings, records } = (await runWorker(app, script)) as { warnings: string[]; records: { level?: string; event?: string; message?: string }[] };
  expect(warnings).toEqual([]);
  const browserKey = records.filter((record) => JSON.stringify(record).includes('apiKey.browser'));
  expect(browserKey).toHaveLength(1);
  expect(JSON.stringify(browserKey[0])).not.toContain(RAW_KEY);
  expect(JSON.stringify(browserKey[0])).toContain('dangerouslyAllowBrowser: true');
});
