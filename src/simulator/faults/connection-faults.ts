import type { Delivery } from '../delivery.js';
import type { Wire } from '../wire.js';
import type { DropCode } from './fault-plan.js';
import { garbageText, unroutableFrame } from './fault-items.js';
import type { FaultLog } from './fault-log.js';
import type { FaultKind, FaultTarget } from './types.js';

/**
 * Faults applied to wires (sockets, and REST requests awaiting their answer), shared by the
 * one-shot commands and the chaos hooks: each fault's effect is written here once for both.
 */
export interface ConnectionFaults {
  opened(wire: Wire): void;
  closed(wire: Wire): void;
  /** Live wires (not closing, closed or answered), all or those of one session, oldest first. */
  select(target?: FaultTarget): Wire[];
  /** Over HTTP every drop is the plain one (1006): close frames are the WebSocket's. */
  drop(wire: Wire, closeCode: DropCode): void;
  freeze(wire: Wire): void;
  /** Ends a freeze; a socket still serving its session gets what was buffered meanwhile, a REST request its held answer. */
  thaw(wire: Wire): void;
  garbage(wire: Wire): void;
  unroutable(wire: Wire, code?: string, message?: string): void;
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

/** Tracks open wires (through the `opened`/`closed` hooks) and injects the faults that act on them. */
export const createConnectionFaults = ({ log, delivery }: ConnectionFaultsOptions): ConnectionFaults => {
  const live = new Set<Wire>();
  let garbageSent = 0;
  const about = (wire: Wire) => (wire.session === undefined ? {} : { sessionUUID: wire.session.id });

  return {
    opened: (connection) => void live.add(connection),
    closed: (connection) => void live.delete(connection),
    select: (target = {}) =>
      [...live].filter(
        (connection) => !connection.isGone() && (target.sessionUUID === undefined || connection.session?.id === target.sessionUUID),
      ),
    drop(connection, closeCode) {
      if (connection.transport === 'http') {
        // No close frame exists over HTTP: the connection goes without an answer, as a reset.
        log.record({ kind: 'drop', ...about(connection) });
        return connection.terminate();
      }
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
    // Injected output counts only where it can be written (an answered REST request takes none).
    garbage(connection) {
      if (!connection.isOpen()) return;
      log.record({ kind: 'garbage', ...about(connection) });
      connection.sendText(garbageText(garbageSent++));
    },
    unroutable(connection, code, message) {
      if (!connection.isOpen()) return;
      const frame = unroutableFrame(code, message);
      log.record({ kind: 'unroutable', ...about(connection), code: frame.errors![0]!.code });
      // Past the hooks, like garbage: an injected frame is never itself duplicated or delayed.
      connection.inject(frame);
    },
  };
};
