import type { Delivery } from '../delivery.js';
import type { OpenStreams } from '../event-stream.js';
import type { SimulatorHooks } from '../hooks.js';
import type { Timers } from '../timers.js';
import { createConnectionFaults } from './connection-faults.js';
import { createFaultHooks, type FaultHooks } from './fault-hooks.js';
import { createFaultLog } from './fault-log.js';
import { createFaultPlan } from './fault-plan.js';
import type { DropCode } from './fault-plan.js';
import type { FaultOptions, Faults } from './types.js';

/** Options of {@link createFaults}. */
export interface CreateFaultsOptions {
  readonly timers: Timers;
  readonly delivery: Delivery;
  /** The REST event streams under way. */
  readonly streams: OpenStreams;
  /** Chaos to start with (already validated by `resolveOptions`). */
  readonly initial: FaultOptions | undefined;
  readonly log: (line: string) => void;
}

/** The fault controller: the API tests drive, and the hooks the simulator runs. */
export interface FaultController {
  readonly faults: Faults;
  readonly hooks: SimulatorHooks;
}

const EVENTS_KEPT = 1000;

const count = (method: string, value: number): number => {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`faults.${method}: count must be an integer >= 0, got ${value}`);
  return value;
};

const delay = (method: string, value: number): number => {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`faults.${method}: ms must be a finite number >= 0, got ${value}`);
  return value;
};

/**
 * Builds the fault injection of one simulator. One-shot commands act now (socket faults) or arm a
 * countdown consumed by the next matching events; `configure` sets chaos rates. Every injected
 * fault is counted.
 */
export const createFaults = ({ timers, delivery, streams, initial, log: logLine }: CreateFaultsOptions): FaultController => {
  const log = createFaultLog(EVENTS_KEPT, logLine);
  const sockets = createConnectionFaults({ log, delivery });
  // The plan tells the hooks when a one-shot queue runs dry, so the hook can be uninstalled.
  // Assigned once, just below: the plan's callback needs the hooks, and the hooks need the plan.
  // eslint-disable-next-line prefer-const
  let faultHooks: FaultHooks | undefined;
  const plan = createFaultPlan(() => faultHooks?.refresh());
  faultHooks = createFaultHooks({ plan, log, sockets, timers });
  const { hooks, refresh } = faultHooks;
  const armed = (arm: () => void) => {
    arm();
    refresh();
  };
  if (initial !== undefined) armed(() => plan.configure(initial));

  const faults: Faults = {
    drop({ closeFrame, code, ...target } = {}) {
      const closeCode: DropCode = (closeFrame ?? (code !== undefined)) ? (code ?? 1011) : 1006;
      // A close frame is the WebSocket's: only the plain drop also cuts REST requests in flight.
      const hit = sockets.select(target).filter((wire) => closeCode === 1006 || wire.transport === 'socket');
      for (const connection of hit) sockets.drop(connection, closeCode);
      return hit.length;
    },
    cutStreams() {
      const hit = [...streams];
      for (const stream of hit) {
        log.record({ kind: 'streamCut' });
        stream.cut();
      }
      return hit.length;
    },
    freeze(target) {
      const hit = sockets.select(target).filter((connection) => !connection.isFrozen());
      for (const connection of hit) sockets.freeze(connection);
      return hit.length;
    },
    thaw(target) {
      const hit = sockets.select(target).filter((connection) => connection.isFrozen());
      for (const connection of hit) sockets.thaw(connection);
      return hit.length;
    },
    sendGarbage(target) {
      const hit = sockets.select(target).filter((connection) => connection.isOpen());
      for (const connection of hit) sockets.garbage(connection);
      return hit.length;
    },
    sendUnroutableError({ code, message, ...target } = {}) {
      const hit = sockets.select(target).filter((connection) => connection.isOpen());
      for (const connection of hit) sockets.unroutable(connection, code, message);
      return hit.length;
    },
    rateLimitBurst: (n, code = 'rateLimitExceeded') => armed(() => plan.armRejection(code, count('rateLimitBurst', n))),
    serverErrorBurst: (n) => armed(() => plan.armRejection('internalServerError', count('serverErrorBurst', n))),
    failNextItems: (n, code = 'timeoutProvider') => armed(() => plan.armItemFailure(code, count('failNextItems', n))),
    delayAuth: (ms, n = 1) => armed(() => plan.armAuthDelay(delay('delayAuth', ms), count('delayAuth', n))),
    delayAcks: (ms, n = 1) => armed(() => plan.armAck({ drop: false, delayMs: delay('delayAcks', ms) }, count('delayAcks', n))),
    dropAcks: (n = 1) => armed(() => plan.armAck({ drop: true }, count('dropAcks', n))),
    duplicateResults: (n = 1) => armed(() => plan.armDuplicate(count('duplicateResults', n))),
    configure: (options) => armed(() => plan.configure(options)),
    reset() {
      armed(() => plan.reset());
      for (const connection of sockets.select()) if (connection.isFrozen()) sockets.thaw(connection);
      log.clear();
    },
    counts: () => log.counts(),
    events: () => log.events(),
  };
  return { faults, hooks };
};
