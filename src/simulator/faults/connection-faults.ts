import type { Connection } from '../connection.js';
import type { Delivery } from '../delivery.js';
import type { DropCode } from './fault-plan.js';
import { garbageText, unroutableFrame } from './fault-items.js';
import type { FaultLog } from './fault-log.js';
import type { FaultKind, FaultTarget } from './types.js';

/** Faults applied to sockets, shared by the one-shot commands and the chaos hooks. */
export interface ConnectionFaults {
  opened(connection: Connection): void;
  closed(connection: Connection): void;
  /** Live sockets (not closing or closed), all or those of one session, oldest first. */
  select(target?: FaultTarget): Connection[];
  drop(connection: Connection, closeCode: DropCode): void;
  freeze(connection: Connection): void;
  /** Ends a freeze; a socket still serving its session gets what was buffered meanwhile. */
  thaw(connection: Connection): void;
  garbage(connection: Connection): void;
  unroutable(connection: Connection, code?: string, message?: string): void;
}

/** Options of {@link createConnectionFaults}. */
export interface ConnectionFaultsOptions {
  readonly log: FaultLog;
  readonly delivery: Delivery;
}

const CLOSE_REASONS: Readonly<Record<Exclude<DropCode, 1006>, string>> = {
  1000: 'Simulated clean close',
  1001: 'Simulated server restart',
  1011: 'Simulated server error',
};

/** The counter a drop with this (client-side) close code goes to. */
export const dropKind = (closeCode: DropCode): FaultKind => (closeCode === 1006 ? 'drop' : closeCode === 1000 ? 'cleanClose' : 'serverClose');

/** Tracks open sockets (through the `opened`/`closed` hooks) and injects socket-level faults. */
export const createConnectionFaults = ({ log, delivery }: ConnectionFaultsOptions): ConnectionFaults => {
  const live = new Set<Connection>();
  let garbageSent = 0;
  const about = (connection: Connection) => (connection.session === undefined ? {} : { sessionUUID: connection.session.id });

  return {
    opened: (connection) => void live.add(connection),
    closed: (connection) => void live.delete(connection),
    select: (target = {}) =>
      [...live].filter(
        (connection) => !connection.isGone() && (target.sessionUUID === undefined || connection.session?.id === target.sessionUUID),
      ),
    drop(connection, closeCode) {
      log.record({ kind: dropKind(closeCode), ...about(connection), closeCode });
      // The session outlives the socket: connection.ts detaches it on 'close', so results buffer.
      if (closeCode === 1006) connection.terminate();
      else connection.close(closeCode, CLOSE_REASONS[closeCode]);
    },
    freeze(connection) {
      log.record({ kind: 'freeze', ...about(connection) });
      connection.setFrozen(true);
    },
    thaw(connection) {
      connection.setFrozen(false);
      const session = connection.session;
      if (session?.connection === connection) delivery.replay(session);
    },
    garbage(connection) {
      log.record({ kind: 'garbage', ...about(connection) });
      connection.sendText(garbageText(garbageSent++));
    },
    unroutable(connection, code, message) {
      const frame = unroutableFrame(code, message);
      log.record({ kind: 'unroutable', ...about(connection), code: frame.errors![0]!.code });
      // Past the hooks, like garbage: an injected frame is never itself duplicated or delayed.
      connection.sendText(JSON.stringify(frame));
    },
  };
};
