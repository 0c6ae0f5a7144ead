import { nanoid } from 'nanoid';
import { WebSocket, type RawData } from 'ws';
import type { SimulatorEnv } from './env.js';
import { writeExactJson } from './exact-json.js';
import { handleInbound } from './inbound.js';
import type { Session } from './session.js';
import { timerDelay } from './timers.js';
import type { OutboundFrame } from './types.js';
import type { WireBase } from './wire.js';

/** One accepted WebSocket and the session it authenticated into (if any). */
export interface Connection extends WireBase {
  readonly transport: 'socket';
  /** A short id for logs. */
  readonly id: string;
  /** Opened with `dryRun=1` in its URL's query: its tasks are validated and priced, never run (protocol §10.6). */
  readonly dryRun: boolean;
  session: Session | undefined;
  /** Serialises and writes a frame (through the `outbound` hook, if any); frozen sockets write nothing. */
  send(frame: OutboundFrame): void;
  close(code: number, reason: string): void;
  /**
   * Half-open mode: while frozen the socket ignores inbound frames, writes nothing (not even
   * protocol-level pongs), never idles out, and `isOpen()` is false so results are buffered for
   * the session. The TCP connection and the close handshake still work.
   */
  setFrozen(frozen: boolean): void;
}

const toText = (data: RawData): string =>
  Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data).toString('utf8');

/**
 * Wires a freshly upgraded socket: inbound messages go to `handleInbound`, the idle clock restarts
 * on every inbound message (only client traffic counts, so a client that merely listens is still
 * closed after `idleTimeoutMs`), and on close the session is detached so its results are buffered.
 */
export const openConnection = (socket: WebSocket, env: SimulatorEnv, { dryRun = false }: { readonly dryRun?: boolean } = {}): Connection => {
  const { hooks, stats, options } = env;
  let frozen = false;
  const write = (frame: OutboundFrame) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(writeExactJson(frame));
    stats.frameSent();
  };
  const connection: Connection = {
    transport: 'socket',
    id: nanoid(8),
    dryRun,
    session: undefined,
    isOpen: () => !frozen && socket.readyState === WebSocket.OPEN,
    isGone: () => socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED,
    send(frame) {
      if (frozen) return;
      if (hooks.outbound) hooks.outbound(connection, frame, write);
      else write(frame);
    },
    sendText(text) {
      if (frozen || socket.readyState !== WebSocket.OPEN) return;
      socket.send(text);
      stats.frameSent();
    },
    inject(frame) {
      connection.sendText(writeExactJson(frame));
    },
    close: (code, reason) => socket.close(code, reason),
    terminate: () => socket.terminate(),
    setFrozen(value) {
      frozen = value;
    },
    isFrozen: () => frozen,
  };

  const idle =
    options.idleTimeoutMs > 0
      ? setTimeout(() => {
          // A half-open server sends nothing, a close frame included: wait for the thaw.
          if (frozen) return void idle?.refresh();
          options.log(`[${connection.id}] idle for ${options.idleTimeoutMs} ms, closing`);
          connection.close(1000, 'Idle timeout');
        }, timerDelay(options.idleTimeoutMs))
      : undefined;
  const receive = (message: string) => handleInbound(connection, message, env);

  socket.on('message', (data) => {
    // Once the server has closed (or dropped) a socket it reads nothing more, as a real one would;
    // this also keeps chaos draws independent of how fast the client notices the close.
    if (frozen || socket.readyState !== WebSocket.OPEN) return;
    idle?.refresh();
    const message = toText(data);
    if (hooks.inbound) hooks.inbound(connection, message, receive);
    else receive(message);
  });
  // The server turns ws's automatic pong off so that a frozen socket can stay silent.
  socket.on('ping', (data) => {
    if (!frozen && socket.readyState === WebSocket.OPEN) socket.pong(data);
  });
  socket.on('close', (code) => {
    clearTimeout(idle);
    stats.socketClosed();
    if (connection.session !== undefined) env.sessions.detach(connection.session, connection);
    options.log(`[${connection.id}] closed (${code})`);
    hooks.closed?.(connection);
  });
  socket.on('error', (error) => options.log(`[${connection.id}] socket error: ${error.message}`));

  stats.socketOpened();
  options.log(`[${connection.id}] connected`);
  hooks.opened?.(connection);
  return connection;
};
