import { randomUUID } from 'node:crypto';
import type { Connection } from './connection.js';
import type { Random } from './random.js';
import type { TimerHandle, Timers } from './timers.js';
import type { DataItem, ErrorItem, OutboundFrame } from './types.js';

/** A frame that could not be written because no socket was attached, with when it was produced. */
export interface BufferedFrame {
  readonly at: number;
  readonly frame: OutboundFrame;
}

/**
 * The server side of a `connectionSessionUUID`: outlives its sockets so results produced while
 * the client is away can be replayed when it resumes (protocol §2.2).
 */
export interface Session {
  readonly id: string;
  /** The socket results go to; the most recent authentication with this session wins. */
  connection: Connection | undefined;
  /** Frames produced while detached, oldest first. */
  readonly backlog: BufferedFrame[];
  /**
   * Items waiting for this event-loop turn's flush (batched and mixed framing, see delivery.ts),
   * per frame they will leave in: per taskUUID when batched, one for all when mixed.
   */
  pending: Map<string, { data: DataItem[]; errors: ErrorItem[] }> | undefined;
  flush: ReturnType<typeof setImmediate> | undefined;
  expiry: TimerHandle | undefined;
  /** While detached: held at least until then (its drop, or its newest buffered frame, plus the buffer time). */
  heldUntil: number;
  /** This session's latency draws (see latency.ts), created with its first spread task. */
  timing: Random | undefined;
}

/**
 * A fresh session with a new UUID v4, attached to nothing. The registry's sessions are made by
 * it; so is the REST transport's one session, which no socket can resume (it is not registered).
 */
export const createSession = (): Session => ({
  id: randomUUID(),
  connection: undefined,
  backlog: [],
  pending: undefined,
  flush: undefined,
  expiry: undefined,
  heldUntil: 0,
  timing: undefined,
});

/** Options of {@link createSessionRegistry}. */
export interface SessionRegistryOptions {
  /** A detached session is forgotten this long after its socket left or its newest buffered frame, whichever is later. */
  readonly bufferMs: number;
  readonly timers: Timers;
  /** The clock buffered frames are stamped with (delivery.ts). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * At most this many detached sessions are held; past it the longest detached is forgotten first.
   * Default {@link MAX_DETACHED_SESSIONS}.
   */
  readonly maxDetached?: number;
}

/**
 * Detached sessions held at most. Every authentication without a resumable session UUID opens a
 * session and detaches the socket's previous one, so without a bound one socket looping on
 * authentication would pile up sessions for `bufferMs` each. Attached sessions are bounded by the
 * open sockets (one each).
 */
export const MAX_DETACHED_SESSIONS = 1000;

/** All live sessions by id. */
export interface SessionRegistry {
  /** A brand-new session with a fresh UUID v4. */
  open(): Session;
  /** The session with this id, if it is still held; anything else (unknown, expired, not a string) → undefined. */
  find(id: unknown): Session | undefined;
  attach(session: Session, connection: Connection): void;
  /** Detaches `connection` if it is still the session's socket, and starts the expiry clock. */
  detach(session: Session, connection: Connection): void;
  /**
   * A frame was buffered for the session: a detached one is held `bufferMs` from now, since the
   * frame is (protocol §2.2: undelivered results are held for 120 seconds).
   */
  hold(session: Session): void;
  /** Drops every session (simulator shutdown). */
  clear(): void;
  readonly size: number;
}

/** Creates the registry; expiry uses the simulator's tracked timers. */
export const createSessionRegistry = ({ bufferMs, timers, now = Date.now, maxDetached = MAX_DETACHED_SESSIONS }: SessionRegistryOptions): SessionRegistry => {
  const sessions = new Map<string, Session>();
  /** Detached sessions in the order they were detached (a Set keeps insertion order). */
  const detached = new Set<Session>();

  const forget = (session: Session) => {
    if (session.flush !== undefined) clearImmediate(session.flush);
    if (session.expiry !== undefined) timers.cancel(session.expiry);
    session.expiry = undefined;
    sessions.delete(session.id);
    detached.delete(session);
  };

  return {
    open() {
      const session = createSession();
      sessions.set(session.id, session);
      return session;
    },
    find: (id) => (typeof id === 'string' ? sessions.get(id) : undefined),
    attach(session, connection) {
      if (session.expiry !== undefined) timers.cancel(session.expiry);
      session.expiry = undefined;
      session.connection = connection;
      detached.delete(session);
    },
    detach(session, connection) {
      if (session.connection !== connection) return;
      session.connection = undefined;
      session.heldUntil = now() + bufferMs;
      // One timer per detached session, however many frames it buffers: on time, it looks again.
      const expire = (): void => {
        const left = session.heldUntil - now();
        if (left > 0) session.expiry = timers.after(left, expire);
        else forget(session);
      };
      session.expiry = timers.after(bufferMs, expire);
      detached.add(session);
      for (const oldest of detached) {
        if (detached.size <= maxDetached) break;
        forget(oldest);
      }
    },
    hold(session) {
      if (detached.has(session)) session.heldUntil = now() + bufferMs;
    },
    clear() {
      for (const session of sessions.values()) forget(session);
    },
    get size() {
      return sessions.size;
    },
  };
};
