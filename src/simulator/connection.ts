import { nanoid } from 'nanoid';
import { WebSocket, type RawData } from 'ws';
import type { SimulatorEnv } from './env.js';
import { handleInbound } from './inbound.js';
import type { Session } from './session.js';
import type { OutboundFrame } from './types.js';

/** One accepted WebSocket and the session it authenticated into (if any). */
export interface Connection {
  /** A short id for logs. */
  readonly id: string;
  session: Session | undefined;
  isOpen(): boolean;
  /** Serialises and writes a frame (through the `outbound` hook, if any). */
  send(frame: OutboundFrame): void;
  close(code: number, reason: string): void;
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
export const openConnection = (socket: WebSocket, env: SimulatorEnv): Connection => {
  const { hooks, stats, options } = env;
  const write = (frame: OutboundFrame) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify(frame));
    stats.frameSent();
  };
  const connection: Connection = {
    id: nanoid(8),
    session: undefined,
    isOpen: () => socket.readyState === WebSocket.OPEN,
    send: (frame) => (hooks.outbound ? hooks.outbound(connection, frame, write) : write(frame)),
    close: (code, reason) => socket.close(code, reason),
  };

  const idle =
    options.idleTimeoutMs > 0
      ? setTimeout(() => {
          options.log(`[${connection.id}] idle for ${options.idleTimeoutMs} ms, closing`);
          connection.close(1000, 'Idle timeout');
        }, options.idleTimeoutMs)
      : undefined;
  const receive = (message: string) => handleInbound(connection, message, env);

  socket.on('message', (data) => {
    idle?.refresh();
    const message = toText(data);
    if (hooks.inbound) hooks.inbound(connection, message, receive);
    else receive(message);
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
