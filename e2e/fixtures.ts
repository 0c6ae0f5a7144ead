import { pathToFileURL } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import type { Simulator, SimulatorOptions } from 'runware-rx/simulator';
import { e2eEnv, ROOT } from './paths.js';

/**
 * Runs before any page script: wraps the native `WebSocket` so the tests can see which URLs it
 * was asked to open. isomorphic-ws's browser file reads the global at import time, so it picks up
 * the wrapper, and the wrapper is still the browser's own implementation underneath.
 */
const recordNativeSockets = (): void => {
  const Native = window.WebSocket;
  const urls: string[] = [];
  window.nativeSocketUrls = urls;
  window.WebSocket = class RecordedWebSocket extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      urls.push(String(url));
    }
  };
};

/** Starts a simulator of the test's own (the built one), closed when the test ends. */
export type StartSimulator = (options?: SimulatorOptions) => Promise<Simulator>;

/** The e2e page, loaded and ready, with page errors collected so a test can assert there were none. */
export const test = base.extend<{ app: Page; pageErrors: string[]; startSimulator: StartSimulator }>({
  pageErrors: async ({}, use) => {
    await use([]);
  },
  app: async ({ page, pageErrors }, use) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.addInitScript(recordNativeSockets);
    await page.goto(e2eEnv('E2E_PAGE_URL'));
    await page.waitForFunction(() => window.runwareE2E !== undefined);
    await use(page);
  },
  // A simulator per test, for tests that count its frames or drive its faults: the shared one
  // (global-setup.ts) runs in another process.
  startSimulator: async ({}, use) => {
    const started: Simulator[] = [];
    const { startSimulator } = (await import(pathToFileURL(new URL('dist/simulator.js', ROOT).pathname).href)) as typeof import('runware-rx/simulator');
    await use(async (options) => {
      const simulator = await startSimulator({ host: '127.0.0.1', port: 0, media: false, ...options });
      started.push(simulator);
      return simulator;
    });
    await Promise.all(started.map((simulator) => simulator.close()));
  },
});

export { expect };
