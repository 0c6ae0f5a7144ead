/*
 * Prepares the browser e2e run: bundles the page script against the built package, starts the
 * built simulator and a static server for the page, and hands their URLs to the tests through
 * environment variables. Returns the teardown.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup, type Plugin } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { BUILD_DIR, BUNDLE_FILE, MODULES_FILE, ROOT } from './paths.js';

/** How long after submission the simulator reports a video ready: a few polls, then a result. */
const VIDEO_READY_AFTER_MS = 1500;

const dist = (file: string): string => fileURLToPath(new URL(`dist/${file}`, ROOT));

/** `runware-rx` is the built ESM entry, exactly what the package's `import` condition names. */
const builtPackage = (): Plugin => ({
  name: 'built-runware-rx',
  resolveId: (source) => (source === 'runware-rx' ? dist('index.js') : null),
});

/** Bundles page/app.ts for the browser and records which modules went in (see bundle.e2e.ts). */
const bundlePage = async (): Promise<void> => {
  const bundle = await rollup({
    input: fileURLToPath(new URL('page/app.ts', import.meta.url)),
    onwarn: (warning) => {
      throw new Error(`e2e page bundle: ${warning.message}`);
    },
    plugins: [
      builtPackage(),
      // browser: true is what makes isomorphic-ws resolve to browser.js, so `ws` is never reached.
      nodeResolve({ browser: true, preferBuiltins: false }),
      esbuild({ target: 'es2022', tsconfig: fileURLToPath(new URL('tsconfig.json', ROOT)) }),
    ],
  });
  try {
    const { output } = await bundle.write({ file: BUNDLE_FILE, format: 'es', inlineDynamicImports: true });
    const [chunk] = output;
    await writeFile(MODULES_FILE, `${JSON.stringify(chunk.moduleIds, null, 2)}\n`);
  } finally {
    await bundle.close();
  }
};

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/** Serves the page and its bundle, nothing else. */
const servePage = async (): Promise<{ url: string; close: () => Promise<void> }> => {
  const files: Record<string, { path: string; type: string }> = {
    '/': { path: fileURLToPath(new URL('page/index.html', import.meta.url)), type: 'text/html; charset=utf-8' },
    '/app.js': { path: BUNDLE_FILE, type: 'text/javascript; charset=utf-8' },
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://page').pathname];
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    readFile(file.path).then(
      (body) => response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** The relay's real key in the e2e run: the page must never see it. */
const RELAY_KEY = 'E2eRelayKey0123456789abcdefGHIJK';

/**
 * Starts examples/relay/server.ts as a user runs it (tsx), relaying to the e2e simulator with
 * RELAY_KEY; resolves with its address and a stop function.
 */
const startRelayExample = async (simulatorUrl: string): Promise<{ url: string; stop: () => Promise<void> }> => {
  const root = fileURLToPath(ROOT);
  const child = spawn(`${root}node_modules/.bin/tsx`, ['--tsconfig', `${root}tsconfig.node.json`, `${root}examples/relay/server.ts`, '--port', '0'], {
    cwd: root,
    env: { ...process.env, RUNWARE_API_KEY: RELAY_KEY, RUNWARE_URL: simulatorUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout }), 'line'), once(child, 'exit')])) as unknown[];
  const url = /^relay example at (\S+)$/.exec(String(line))?.[1];
  if (url === undefined) {
    await stop();
    throw new Error(`the relay example did not start: ${String(line)}`);
  }
  return { url, stop };
};

export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const file of ['index.js', 'simulator.js']) {
    if (!existsSync(dist(file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first (npm run test:e2e does).`);
  }
  await mkdir(BUILD_DIR, { recursive: true });
  await bundlePage();

  // The built simulator, as users get it from `runware-rx/simulator`; typed from the sources.
  const { startSimulator } = (await import(pathToFileURL(dist('simulator.js')).href)) as typeof import('runware-rx/simulator');
  const simulator = await startSimulator({ host: '127.0.0.1', port: 0, videoReadyAfterMs: VIDEO_READY_AFTER_MS });
  const page = await servePage().catch(async (error: unknown) => {
    await simulator.close();
    throw error;
  });

  const relay = await startRelayExample(simulator.url).catch(async (error: unknown) => {
    await Promise.all([page.close(), simulator.close()]);
    throw error;
  });

  process.env['E2E_PAGE_URL'] = page.url;
  process.env['E2E_RELAY_EXAMPLE_URL'] = relay.url;
  process.env['E2E_RELAY_KEY'] = RELAY_KEY;
  process.env['E2E_SIMULATOR_URL'] = simulator.url;
  process.env['E2E_SIMULATOR_HTTP_URL'] = simulator.httpUrl;

  return async () => {
    await Promise.all([page.close(), relay.stop()]);
    await simulator.close();
  };
}
