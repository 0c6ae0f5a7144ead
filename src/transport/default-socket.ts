import WebSocket from 'isomorphic-ws';
import type { WebSocketConstructor } from './socket-like.js';

/**
 * The WebSocket constructor used when none is injected: the browser's native `WebSocket`, or
 * `ws` in Node. This is the only module that imports `isomorphic-ws`; bundlers pick its
 * browser file, so browser builds never reach `ws`. Only the default import exists in both.
 *
 * In Node, permessage-deflate is not offered: the protocol's frames are small JSON envelopes
 * or base64 media, which deflate poorly, and compression would cost CPU and a zlib context per
 * connection. Nor is a message limited to ws's default 100 MiB: a result sent inline (a video as
 * base64) may be larger, and a browser takes it; closing on it would lose it, and it would come
 * back as large each time it was asked for again. The limit is the longest string the runtime
 * can hold, beyond which no message could be read anyway. Browsers ignore the third constructor
 * argument and negotiate as they see fit.
 *
 * @returns The platform's WebSocket constructor.
 */
export function defaultWebSocket(): WebSocketConstructor {
  // One class for every client: a fresh subclass per client would give each its own hidden
  // classes and keep the socket constructor's inline caches cold.
  defaultClass ??= class DefaultWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, undefined, { perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES });
    }
  } as unknown as WebSocketConstructor;
  return defaultClass;
}

let defaultClass: WebSocketConstructor | undefined;

/** V8's longest string, in characters (2^29 - 24): a text message of more bytes cannot be decoded. */
const MAX_MESSAGE_BYTES = 2 ** 29 - 24;
