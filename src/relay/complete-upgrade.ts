import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { RelayLog } from './relay-log.js';

/**
 * Hands an upgrade the relay has taken to its WebSocket server, which answers the handshake and
 * gives `open` the browser's socket. Nothing thrown leaves it: out of a server's `upgrade`
 * listener, an error would end the process.
 *
 * @param wss The relay's WebSocket server (`noServer`).
 * @param request The upgrade request.
 * @param socket Its socket.
 * @param head The first bytes of the upgraded stream.
 * @param open Sets up the browser connection on the upgraded socket.
 * @param log The relay's log, if any.
 */
export function completeUpgrade(wss: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer, open: (ws: WebSocket) => void, log: RelayLog | undefined): void {
  try {
    wss.handleUpgrade(request, socket, head, open);
  } catch (error) {
    // Another WebSocket server of the process took the socket first (ws refuses to take one
    // twice): it is left to that one.
    log?.('warn', 'relay.upgradeTaken', `an upgrade was taken by another WebSocket server before this relay; left to it (${error instanceof Error ? error.message : String(error)})`, 'relay');
  }
}
