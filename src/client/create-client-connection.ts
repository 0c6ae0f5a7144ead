import type { Connection } from '../connection/connection.js';
import { createConnection } from '../connection/create-connection.js';
import { defaultWebSocket } from '../transport/default-socket.js';
import { networkBack$ } from '../transport/network-back.js';
import type { ResolvedOptions } from './options.js';

/** Outbound frames are split beyond this many characters (about 1 MB). */
const MAX_FRAME_LENGTH = 1_000_000;
/** A burst of submissions streams out in frames of about this size while it is being built. */
const FLUSH_AT = 64 * 1024;
/** The longest wait between reconnections and during rate limiting, in ms. */
export const MAX_BACKOFF_MS = 30_000;
/** The shortest wait before dialling again after a loss, in ms. */
const MIN_RECONNECT_DELAY_MS = 50;

/**
 * The random spread of a client's backoff delays (reconnections, the rate gate): its retry
 * delay, at most a second.
 */
export const jitterOf = (options: ResolvedOptions): number => Math.min(options.retryDelay, 1000);

/**
 * Creates a client's connection from its resolved options. It is made with the client; what
 * only tasks use comes later (`create-task-context.ts`).
 *
 * @param options The resolved client options.
 * @returns The connection, not yet dialled.
 */
export function createClientConnection(options: ResolvedOptions): Connection {
  return createConnection({
    url: options.url,
    httpUrl: options.httpUrl,
    apiKey: options.apiKey,
    WebSocket: options.WebSocket ?? defaultWebSocket(),
    authTimeout: options.authTimeout,
    heartbeat: { interval: options.heartbeatInterval, timeout: options.heartbeatTimeout },
    // Even with retryDelay 0, a server that is down is not dialled back to back.
    // A browser that comes back online dials at once instead of sitting out the backoff.
    reconnect: { initialDelay: Math.max(options.retryDelay, MIN_RECONNECT_DELAY_MS), maxDelay: MAX_BACKOFF_MS, jitter: jitterOf(options), attempts: options.maxReconnectAttempts, wake: networkBack$() },
    maxFrameLength: MAX_FRAME_LENGTH,
    flushAt: FLUSH_AT,
    log: options.logger,
  });
}
