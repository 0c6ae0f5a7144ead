import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { CLOSE } from './browser-contract.js';
import type { RelayLog } from './relay-log.js';
import { rejectUpgrade } from './upgrade-mounts.js';

/**
 * What `ws` throws when it is handed a socket that a WebSocket server has upgraded already (the
 * one error its `handleUpgrade` documents): that socket is the other server's live connection.
 */
const HANDLED_ALREADY = /called more than once with the same socket/;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Hands an upgrade the relay has taken to its WebSocket server, which answers the handshake and
 * gives `open` the browser's socket. Nothing thrown leaves it (out of a server's `upgrade`
 * listener, an error would end the process), and each failure is named for what it is: a socket
 * another WebSocket server had upgraded is left to it (`relay.upgradeTaken`); a failure to set up
 * the browser's connection (a bug) closes its socket with 1011, so that the page sees the failure
 * and may try again instead of holding a socket nobody reads (`relay.openFailed`); any other
 * failure of `ws` answers the upgrade HTTP 500 (`relay.upgradeFailed`).
 *
 * @param wss The relay's WebSocket server (`noServer`).
 * @param request The upgrade request.
 * @param socket Its socket, which the relay has taken (upgrade-mounts.ts).
 * @param head The first bytes of the upgraded stream.
 * @param open Sets up the browser connection on the upgraded socket.
 * @param log The relay's log, if any.
 */
export function completeUpgrade(wss: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer, open: (ws: WebSocket) => void, log: RelayLog | undefined): void {
  let upgraded = false;
  const opened = (ws: WebSocket): void => {
    upgraded = true;
    // ws reads the socket through a `data` listener, which does not resume a socket the
    // application paused before handing it over (pausing sets readableFlowing to false).
    if (socket.readableFlowing === false) socket.resume();
    try {
      open(ws);
    } catch (error) {
      log?.('warn', 'relay.openFailed', `a browser connection could not be set up; its socket is closed (1011): ${describe(error)}`, 'relay');
      ws.close(CLOSE.unavailable, 'Internal relay error');
    }
  };
  try {
    wss.handleUpgrade(request, socket, head, opened);
  } catch (error) {
    if (!upgraded && error instanceof Error && HANDLED_ALREADY.test(error.message)) {
      log?.('warn', 'relay.upgradeTaken', `an upgrade was taken by another WebSocket server before this relay; left to it (${error.message})`, 'relay');
      return;
    }
    log?.('warn', 'relay.upgradeFailed', `an upgrade could not be completed; ${upgraded ? 'its socket is dropped' : 'answered 500'}: ${describe(error)}`, 'relay');
    if (upgraded) socket.destroy();
    else rejectUpgrade(socket, 500, 'Internal Server Error');
  }
}
