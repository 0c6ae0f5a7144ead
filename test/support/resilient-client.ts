import type { RunwareOptions } from 'runware-rx';

/**
 * Client timings for fault tests: every deadline short enough that a lost socket, frame or
 * acknowledgement is noticed within a second, and retries quick.
 */
export const FAST_RECOVERY: RunwareOptions = {
  heartbeatInterval: 200,
  heartbeatTimeout: 300,
  authTimeout: 1000,
  ackTimeout: 500,
  pollTimeout: 500,
  pollInterval: 50,
  retryDelay: 20,
  maxRetries: 5,
};
