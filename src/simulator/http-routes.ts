import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { MediaStore } from './media/media-store.js';
import { serveMedia } from './media-route.js';
import { pathOf } from './request-path.js';

/** Options of {@link createRequestListener}. */
export interface HttpRoutesOptions {
  readonly store: MediaStore;
  /** Handles `/v1` requests that are not WebSocket upgrades: the REST transport. */
  readonly rest: (request: IncomingMessage, response: ServerResponse) => void;
}

const MEDIA_PREFIX = '/media/';

const badRequest = (response: ServerResponse): void => {
  response.writeHead(400, { 'content-type': 'text/plain' });
  response.end('Bad request\n');
};

/**
 * Plain HTTP routes of the simulator: `/media/<name>`, `POST /v1` (and `POST /`), CORS preflight; 404 otherwise,
 * 400 for a target that is no URL. Nothing a client sends can make a route throw.
 */
export const createRequestListener = ({ store, rest }: HttpRoutesOptions): RequestListener => (request, response) => {
  const pathname = pathOf(request.url);
  if (pathname === undefined) return badRequest(response);
  // Preflights first: a cross-origin fetch of a media URL with a Range header asks here before its GET.
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, range',
    });
    response.end();
    return;
  }
  if (pathname.startsWith(MEDIA_PREFIX)) return serveMedia(store, pathname.slice(MEDIA_PREFIX.length), request, response);
  // Every method: the REST handler answers a GET there with a JSON 405 (WebSockets upgrade elsewhere).
  if (pathname === '/v1') return rest(request, response);
  // The WebSocket is served on / too (the legacy SDKs' test URL has no path), so a client that
  // derives its HTTP endpoint from that URL (a streamed textInference) POSTs there.
  if (pathname === '/' && request.method === 'POST') return rest(request, response);
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end(`Runware simulator: WebSocket at /v1, media under ${MEDIA_PREFIX}\n`);
};
