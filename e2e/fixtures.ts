import { test as base, expect, type Page } from '@playwright/test';
import { e2eEnv } from './paths.js';

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

/** The e2e page, loaded and ready, with page errors collected so a test can assert there were none. */
export const test = base.extend<{ app: Page; pageErrors: string[] }>({
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
});

export { expect };
