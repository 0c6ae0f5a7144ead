/*
 * Browser end-to-end tests: the built package in Chromium, over the browser's native WebSocket,
 * against the local simulator. Run with `npm run test:e2e` (builds first).
 *
 * The browser is Debian's `chromium` (apt-get install chromium) where it exists, because on our
 * machines Playwright cannot download its own; elsewhere Playwright's default Chromium is used.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/** CHROMIUM_PATH, then PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then Debian's binary, else Playwright's own. */
const chromiumPath = (): string | undefined => {
  const fromEnv = process.env['CHROMIUM_PATH'] || process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'];
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
};
const executablePath = chromiumPath();

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  outputDir: '../test-results/e2e',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  // Bounds for a hung test on a saturated machine, not guesses of how long things take: every
  // step waits for an event (a page function, a media element's event, a request settling).
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    launchOptions: {
      ...(executablePath === undefined ? {} : { executablePath }),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
