/** The Runware WebSocket host, whose REST twin is `api.runware.ai` (protocol §2.3). */
const RUNWARE_SOCKET_HOST = 'ws-api.runware.ai';

/**
 * The HTTP endpoint beside a WebSocket endpoint: the same URL over `http(s)`, and for Runware's
 * own socket host its REST host (`wss://ws-api.runware.ai/v1` → `https://api.runware.ai/v1`).
 * The simulator serves both on one port and path, as a relay that carries streams would.
 *
 * @param socketUrl The WebSocket endpoint.
 * @returns The HTTP endpoint.
 */
export function httpUrlOf(socketUrl: string): string {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol;
  if (url.hostname === RUNWARE_SOCKET_HOST) url.hostname = 'api.runware.ai';
  return url.toString();
}
