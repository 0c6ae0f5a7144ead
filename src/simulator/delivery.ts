import type { Framing } from './profile.js';
import type { Session } from './session.js';
import type { OutboundFrame } from './types.js';

/** Options of {@link createDelivery}. */
export interface DeliveryOptions {
  /** Undelivered frames older than this are dropped instead of replayed. */
  readonly bufferMs: number;
  /** `batched`: one frame per task per event-loop turn; `mixed`: one per session per turn; `per-result`: one per push, at once. */
  readonly framing: Framing;
  readonly now: () => number;
  readonly isClosed: () => boolean;
  /** A frame was kept for a session with no socket (the registry holds the session as long as the frame). */
  readonly onBuffered?: (session: Session) => void;
}

/** The one outbound path for task results, acks and task errors. */
export interface Delivery {
  /**
   * Sends a reply (a result, an ack, errors, a getResponse answer) to the session. Batched framing:
   * what is pushed for one task in one event-loop turn leaves as one frame (its four results
   * together), without a timer per task; mixed framing: everything pushed in one turn leaves as
   * one frame, so 10 000 fast tasks are answered by one frame. Per-result framing: the reply
   * leaves now as a frame of its own, as the API sends each result when it is ready.
   */
  push(session: Session, frame: OutboundFrame): void;
  /** Writes a frame to the session's socket now, or keeps it for replay if no socket is attached. */
  deliver(session: Session, frame: OutboundFrame): void;
  /** Writes every kept frame, in order, to the session's (new) socket. */
  replay(session: Session): void;
}

/** Creates the delivery path shared by all sessions. */
export const createDelivery = ({ bufferMs, framing, now, isClosed, onBuffered }: DeliveryOptions): Delivery => {
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
    onBuffered?.(session);
  };

  const flush = (session: Session) => {
    const frames = session.pending;
    session.pending = undefined;
    session.flush = undefined;
    if (frames === undefined) return;
    for (const { data, errors } of frames.values()) {
      deliver(session, {
        ...(data.length > 0 ? { data } : {}),
        ...(errors.length > 0 ? { errors } : {}),
      });
    }
  };

  /** The frame of this turn an item leaves in: its task's (batched), or the one of them all (mixed). */
  const frameFor = (session: Session, item: { readonly taskUUID?: unknown }) => {
    let frames = session.pending;
    if (frames === undefined) {
      frames = session.pending = new Map();
      session.flush = setImmediate(flush, session);
    }
    const key = framing === 'mixed' || typeof item.taskUUID !== 'string' ? '' : item.taskUUID;
    let frame = frames.get(key);
    if (frame === undefined) frames.set(key, (frame = { data: [], errors: [] }));
    return frame;
  };

  const batch = (session: Session, { data, errors }: OutboundFrame) => {
    // Loops, not spreads: a spread of a huge array can exceed the engine's argument limit.
    if (data !== undefined) for (const item of data) frameFor(session, item).data.push(item);
    if (errors !== undefined) for (const item of errors) frameFor(session, item).errors.push(item);
  };

  return {
    push: framing === 'per-result' ? deliver : batch,
    deliver,
    replay(session) {
      prune(session);
      const frames = session.backlog.splice(0);
      for (const { frame } of frames) deliver(session, frame);
    },
  };
};
