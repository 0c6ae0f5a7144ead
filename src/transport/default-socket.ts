import WebSocket from 'isomorphic-ws';
import type { WebSocketConstructor } from './socket-like.js';

/**
 * The WebSocket constructor used when none is injected: the browser's native `WebSocket`, or
 * `ws` in Node. This is the only module that imports `isomorphic-ws`; bundlers pick its
 * browser file, so browser builds never reach `ws`. Only the default import exists in both.
 *
 * In Node, permessage-deflate is not offered: the protocol's frames are small JSON envelopes
 * or base64 media, which deflate poorly, and compression would cost CPU and a zlib context per
 * connection. Browsers ignore the third constructor argument and negotiate as they see fit.
 *
 * @returns The platform's WebSocket constructor.
 */
export function defaultWebSocket(): WebSocketConstructor {
  // One class for every client: a fresh subclass per client would give each its own hidden
  // classes and keep the socket constructor's inline caches cold.
  defaultClass ??= class DefaultWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, undefined, { perMessageDeflate: false });
    }
  } as unknown as WebSocketConstructor;
  return defaultClass;
}

let defaultClass: WebSocketConstructor | undefined;
