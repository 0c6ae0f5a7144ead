import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { pathOf, queryFlag } from './request-path.js';

/**
 * The WebSocket endpoint path, as on `wss://ws-api.runware.ai/v1`. Of the query string only
 * `dryRun=1` means something (js-legacy adds it, protocol §10.6); `sdk=js&version=…` and the rest are ignored.
 */
export const WEBSOCKET_PATH = '/v1';

/**
 * Paths that accept WebSocket upgrades: `/v1`, and `/` for the legacy SDKs, whose test URL is
 * `ws://localhost:8080` with no path (protocol §10.3).
 */
const WEBSOCKET_PATHS: ReadonlySet<string> = new Set([WEBSOCKET_PATH, '/']);

/** The host as it appears in a URL: wildcard binds are reached on loopback, IPv6 gets brackets. */
export const urlHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
};

/** Close code sent to clients when the simulator shuts down: 1001 "going away". */
export const SHUTDOWN_CLOSE_CODE = 1001;

/** How long clients get to answer the shutdown close frame before their sockets are cut. */
const CLOSE_GRACE_MS = 250;

/** What the upgrade request said that the connection needs. */
export interface UpgradeInfo {
  /** `dryRun=1` (or `true`) in the URL's query. */
  readonly dryRun: boolean;
}

/** One listening `node:http` server that also accepts WebSocket upgrades on {@link WEBSOCKET_PATH} and `/`. */
export interface SimulatorServer {
  readonly port: number;
  /** Starts accepting WebSockets; until then upgrades are refused. */
  acceptWebSockets(onSocket: (socket: WebSocket, upgrade: UpgradeInfo) => void): void;
  /** Currently open WebSockets. */
  readonly sockets: ReadonlySet<WebSocket>;
  /** Closes every socket, then the HTTP server; resolves once all are closed. */
  close(): Promise<void>;
}

const refuseUpgrade = (socket: NodeJS.WritableStream & { destroy(): void }, status: string) => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
};

const closeSockets = async (sockets: ReadonlySet<WebSocket>): Promise<void> => {
  const closed = [...sockets].map((socket) => once(socket, 'close'));
  for (const socket of sockets) socket.close(SHUTDOWN_CLOSE_CODE, 'Simulator closing');
  const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
  await Promise.race([Promise.all(closed), grace]);
  for (const socket of sockets) socket.terminate();
  await Promise.all(closed);
};

/** Listens on `host:port` (0 = ephemeral) with the given HTTP routes. */
export const listen = async (host: string, port: number, routes: RequestListener): Promise<SimulatorServer> => {
  const http: Server = createServer(routes);
  // No automatic pong: connection.ts answers protocol pings itself, so a frozen socket can stay silent.
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: true, autoPong: false });
  let onSocket: ((socket: WebSocket, upgrade: UpgradeInfo) => void) | undefined;

  http.on('upgrade', (request, socket, head) => {
    // A client that resets mid-handshake must not leave an 'error' without a listener (a crash).
    socket.on('error', () => {});
    const pathname = pathOf(request.url);
    if (pathname === undefined) return refuseUpgrade(socket, '400 Bad Request');
    if (!WEBSOCKET_PATHS.has(pathname)) return refuseUpgrade(socket, '404 Not Found');
    if (onSocket === undefined) return refuseUpgrade(socket, '503 Service Unavailable');
    const accept = onSocket;
    const upgrade: UpgradeInfo = { dryRun: queryFlag(request.url, 'dryRun') };
    sockets.handleUpgrade(request, socket, head, (ws) => accept(ws, upgrade));
  });

  http.listen(port, host);
  await once(http, 'listening');
  let closing: Promise<void> | undefined;

  return {
    port: (http.address() as AddressInfo).port,
    acceptWebSockets(accept) {
      onSocket = accept;
    },
    sockets: sockets.clients,
    close: () =>
      (closing ??= (async () => {
        onSocket = undefined;
        await closeSockets(sockets.clients);
        sockets.close();
        const closed = once(http, 'close');
        http.close();
        http.closeAllConnections();
        await closed;
      })()),
  };
};
