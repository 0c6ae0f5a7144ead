import type { Framing } from './profile.js';
import type { Session } from './session.js';
import type { OutboundFrame } from './types.js';

/** Options of {@link createDelivery}. */
export interface DeliveryOptions {
  /** Undelivered frames older than this are dropped instead of replayed. */
  readonly bufferMs: number;
  /** `batched`: one frame per session per event-loop turn; `per-result`: one frame per push, at once. */
  readonly framing: Framing;
  readonly now: () => number;
  readonly isClosed: () => boolean;
}

/** The one outbound path for task results, acks and task errors. */
export interface Delivery {
  /**
   * Sends a reply (a result, an ack, errors, a getResponse answer) to the session. Batched framing:
   * everything pushed in one event-loop turn leaves as one frame, so a frame of 10 000 fast tasks
   * is answered by one frame, without a timer per task. Per-result framing: the reply leaves now
   * as a frame of its own, as the API sends each result when it is ready.
   */
  push(session: Session, frame: OutboundFrame): void;
  /** Writes a frame to the session's socket now, or keeps it for replay if no socket is attached. */
  deliver(session: Session, frame: OutboundFrame): void;
  /** Writes every kept frame, in order, to the session's (new) socket. */
  replay(session: Session): void;
}

/** Creates the delivery path shared by all sessions. */
export const createDelivery = ({ bufferMs, framing, now, isClosed }: DeliveryOptions): Delivery => {
  const prune = (session: Session) => {
    const oldest = now() - bufferMs;
    let stale = 0;
    while (stale < session.backlog.length && session.backlog[stale]!.at < oldest) stale++;
    if (stale > 0) session.backlog.splice(0, stale);
  };

  const deliver = (session: Session, frame: OutboundFrame) => {
    if (isClosed()) return;
    const connection = session.connection;
    if (connection !== undefined && connection.isOpen()) {
      connection.send(frame);
      return;
    }
    prune(session);
    session.backlog.push({ at: now(), frame });
  };

  const flush = (session: Session) => {
    const batch = session.pending;
    session.pending = undefined;
    session.flush = undefined;
    if (batch === undefined) return;
    const { data, errors } = batch;
    deliver(session, {
      ...(data.length > 0 ? { data } : {}),
      ...(errors.length > 0 ? { errors } : {}),
    });
  };

  const batch = (session: Session, { data, errors }: OutboundFrame) => {
    let pending = session.pending;
    if (pending === undefined) {
      pending = session.pending = { data: [], errors: [] };
      session.flush = setImmediate(flush, session);
    }
    // Loops, not spreads: a spread of a huge array can exceed the engine's argument limit.
    if (data !== undefined) for (const item of data) pending.data.push(item);
    if (errors !== undefined) for (const item of errors) pending.errors.push(item);
  };

  return {
    push: framing === 'batched' ? batch : deliver,
    deliver,
    replay(session) {
      prune(session);
      const frames = session.backlog.splice(0);
      for (const { frame } of frames) deliver(session, frame);
    },
  };
};
