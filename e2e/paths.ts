import { fileURLToPath } from 'node:url';

/** The repository root, as a directory URL. */
export const ROOT = new URL('../', import.meta.url);
/** Generated files of the e2e run (gitignored). */
export const BUILD_DIR = fileURLToPath(new URL('.build/', import.meta.url));
/** The page script bundled for the browser. */
export const BUNDLE_FILE = `${BUILD_DIR}app.js`;
/** The absolute ids of the modules rollup put into the bundle, as JSON. */
export const MODULES_FILE = `${BUILD_DIR}app.modules.json`;
/** Where the video test leaves its screenshot. */
export const SCREENSHOT_FILE = `${BUILD_DIR}video.png`;
/** What the video test found out about H.264 playback in this browser. */
export const CODEC_FILE = `${BUILD_DIR}codec-support.json`;
/** A URL that global-setup.ts published for the tests (page server, simulator WebSocket and HTTP, the relay example and the key it holds). */
export const e2eEnv = (name: 'E2E_PAGE_URL' | 'E2E_SIMULATOR_URL' | 'E2E_SIMULATOR_HTTP_URL' | 'E2E_RELAY_EXAMPLE_URL' | 'E2E_RELAY_KEY'): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through e2e/playwright.config.ts (its global setup sets it).`);
  return value;
};
