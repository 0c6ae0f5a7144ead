import WebSocket from 'isomorphic-ws';
import type { WebSocketConstructor } from './socket-like.js';

/**
 * The WebSocket constructor used when none is injected: the browser's native `WebSocket`, or
 * `ws` in Node. This is the only module that imports `isomorphic-ws`; bundlers pick its
 * browser file, so browser builds never reach `ws`. Only the default import exists in both.
 *
 * @returns The platform's WebSocket constructor.
 */
export function defaultWebSocket(): WebSocketConstructor {
  return WebSocket as unknown as WebSocketConstructor;
}
