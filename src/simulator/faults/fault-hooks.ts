import type { SimulatorHooks } from '../hooks.js';
import type { Timers } from '../timers.js';
import type { OutboundFrame } from '../types.js';
import type { Wire } from '../wire.js';
import { createAuthHold } from './auth-hold.js';
import type { ConnectionFaults } from './connection-faults.js';
import { firstTaskUUID, itemFailureItem, rejectionItem } from './fault-items.js';
import type { FaultLog } from './fault-log.js';
import type { FaultPlan } from './fault-plan.js';

/** Options of {@link createFaultHooks}. */
export interface FaultHooksOptions {
  readonly plan: FaultPlan;
  readonly log: FaultLog;
  readonly sockets: ConnectionFaults;
  readonly timers: Timers;
}

/** The live hooks object the simulator reads, and the switch that keeps it minimal. */
export interface FaultHooks {
  readonly hooks: SimulatorHooks;
  /** Installs exactly the hooks the current plan needs; the others are left undefined. */
  refresh(): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Cheap pre-check first: parsing every inbound frame is only done while an auth delay is possible. */
const isAuthFrame = (message: string): boolean => {
  if (!message.includes('authentication')) return false;
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) && parsed.some((task: unknown) => (task as { taskType?: unknown } | null)?.taskType === 'authentication');
  } catch {
    return false;
  }
};

const sessionOf = (connection: Wire) => (connection.session === undefined ? {} : { sessionUUID: connection.session.id });

/**
 * Turns a {@link FaultPlan} into simulator hooks. `opened`/`closed` are always there (one call per
 * wire, to track sockets and REST requests for the one-shot commands); the per-frame and per-task
 * hooks are installed only while the plan needs them, so with no fault configured the hot paths
 * see `undefined` and pay nothing. The rules are the same for both transports: a REST request's
 * body is its inbound frame, its answer (or each event of its stream) its outbound frame; where
 * HTTP gives a fault another effect or none, it is said here or in `connection-faults.ts`.
 */
export const createFaultHooks = ({ plan, log, sockets, timers }: FaultHooksOptions): FaultHooks => {
  const hooks: Mutable<SimulatorHooks> = {};
  const refresh = () => {
    const needs = plan.needs();
    hooks.inbound = needs.inbound || held.size > 0 ? inbound : undefined;
    hooks.outbound = needs.outbound ? outbound : undefined;
    hooks.admit = needs.admit ? admit : undefined;
    hooks.acknowledge = needs.acknowledge ? acknowledge : undefined;
    hooks.generation = needs.generation ? generation : undefined;
  };
  const held = createAuthHold(timers, refresh);

  const inbound: NonNullable<SimulatorHooks['inbound']> = (connection, message, next) => {
    if (held.queue(connection, message)) return;
    const drop = plan.drop();
    if (drop !== undefined) {
      // A request's answer could leave while its tasks run, so over HTTP the cut comes first.
      if (connection.transport === 'http') sockets.drop(connection, drop.closeCode);
      if (drop.afterReading) next(message);
      if (connection.transport === 'socket') sockets.drop(connection, drop.closeCode);
      return;
    }
    if (plan.freeze()) return sockets.freeze(connection);
    // Every REST request authenticates (its Bearer key, or an authentication element).
    if (plan.authDelayPossible() && (connection.transport === 'http' || isAuthFrame(message))) {
      const delayMs = plan.authDelay();
      if (delayMs !== undefined) {
        log.record({ kind: 'authDelay', ...sessionOf(connection) });
        held.hold(connection, message, delayMs, next);
        return refresh();
      }
    }
    next(message);
  };

  const outbound = (connection: Wire, frame: OutboundFrame, write: (frame: OutboundFrame) => void) => {
    if (plan.garbage()) sockets.garbage(connection);
    if (plan.unroutable()) sockets.unroutable(connection);
    const taskUUID = firstTaskUUID(frame);
    // HTTP writes each answer once; a duplicate means nothing there, and its countdown waits for a socket.
    if (taskUUID !== undefined && connection.transport === 'socket' && plan.duplicate()) {
      log.record({ kind: 'duplicate', taskUUID, ...sessionOf(connection) });
      write(frame);
    }
    write(frame);
  };

  const admit: NonNullable<SimulatorHooks['admit']> = (task) => {
    const code = plan.admit();
    if (code === undefined) return undefined;
    const kind = code === 'internalServerError' ? 'serverError' : 'rateLimit';
    log.record({ kind, taskUUID: task.taskUUID, sessionUUID: task.session.id, code });
    return rejectionItem(task, code);
  };

  const acknowledge: NonNullable<SimulatorHooks['acknowledge']> = (context, ack, send) => {
    const fate = plan.ack();
    if (fate === undefined) return send(ack);
    const event = { taskUUID: context.taskUUID, sessionUUID: context.session.id };
    if (fate.drop) return log.record({ kind: 'ackDrop', ...event });
    log.record({ kind: 'ackDelay', ...event });
    // A tracked timer: close() cancels it. The push follows the session, so a late ack still
    // reaches a client that resumed on another socket meanwhile.
    timers.after(fate.delayMs, () => send(ack));
  };

  const generation: NonNullable<SimulatorHooks['generation']> = (context) => {
    const code = plan.itemFailure();
    if (code === undefined) return undefined;
    log.record({ kind: 'itemFailure', taskUUID: context.taskUUID, sessionUUID: context.session.id, code });
    return itemFailureItem(context, code);
  };

  hooks.opened = sockets.opened;
  hooks.closed = (connection) => {
    sockets.closed(connection);
    held.forget(connection);
  };
  refresh();
  return { hooks, refresh };
};
