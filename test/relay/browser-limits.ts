import type { BrowserLimits } from '../../src/relay/browser-contract.js';

/** The relay's real key, as a BrowserConnection under test is given it. */
export const RELAY_KEY = 'RwLiveKey0123456789abcdefGHIJKLM';

/** Limits of a BrowserConnection under test: roomy, so that only what a test sets off trips. */
export const BROWSER_LIMITS: BrowserLimits = {
  authTimeout: 10_000,
  authorizeTimeout: 10_000,
  idleTimeout: 60_000,
  maxUnauthenticatedPayload: 65_536,
  maxTasksPerFrame: 100,
  maxBufferedBytes: 16_777_216,
};
