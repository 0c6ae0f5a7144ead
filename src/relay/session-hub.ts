import { randomUUID } from 'node:crypto';
import { asyncScheduler } from 'rxjs';
import type { BrowserLink } from './browser-link.js';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import type { LiveSession, ReplayContext } from './session-replay.js';
import { replayKept } from './session-replay.js';
import { SessionQuota, TOO_MANY_SESSIONS } from './session-quota.js';
import type { RelayStore } from './store.js';
import type { StoreWrites } from './store-writes.js';

/** A session's record is refreshed this long while a socket holds it (a crash leaves it resumable). */
const ATTACHED_TTL_MS = 24 * 60 * 60_000;

/** What the hub needs. */
export interface SessionHubOptions {
  readonly store: RelayStore;
  readonly apiKey: string;
  /** How long a detached session is kept, with its frames. */
  readonly bufferMs: number;
  /** Bytes that may wait for a socket while its session's kept frames are replayed; beyond it the socket is closed (1013). */
  readonly maxHeldBytes: number;
  /** The relay's store writes, which a closing relay waits for. */
  readonly writes: StoreWrites;
}

/** The close of a socket that cannot keep up. */
const TOO_SLOW = { code: 1013, reason: 'Reading too slowly' } as const;

/**
 * The browser sessions of one relay instance, the downstream half of session resume: each
 * authenticated browser gets a `connectionSessionUUID` of the relay's own; results for it are
 * gathered into one frame per turn and written to its socket, or kept in the store while it has
 * none (for `bufferMs`, as the API keeps them), and replayed, in order, when the same user
 * resumes it, on this instance or on another one that shares the store.
 */
export class SessionHub {
  readonly #live = new Map<string, LiveSession>();
  readonly #quota: SessionQuota;
  readonly #writes: StoreWrites;
  readonly #replayContext: ReplayContext;

  constructor(private readonly options: SessionHubOptions) {
    this.#writes = options.writes;
    this.#quota = new SessionQuota(options.bufferMs);
    this.#replayContext = {
      store: options.store,
      bufferMs: options.bufferMs,
      writes: this.#writes,
      write: (live, text) => this.#write(live, text),
      keepText: (live, text) => this.#keepText(live.id, text, `the session of user=${live.userId}`),
    };
  }

  /**
   * Opens a new session for a user, or resumes the one asked for when it is kept and is the same
   * user's. A session of another user (or an unknown one) is never resumed: a new one is opened,
   * as the API does for an unknown session, and nothing tells which it was. A user who has opened
   * too many new sessions lately (session-quota.ts) gets none.
   *
   * @returns The session's UUID and whether it was resumed, or {@link TOO_MANY_SESSIONS}.
   */
  async open(userId: string, requested: unknown): Promise<{ readonly sessionUUID: string; readonly resumed: boolean } | typeof TOO_MANY_SESSIONS> {
    if (typeof requested === 'string' && requested !== '') {
      const live = this.#live.get(requested);
      const record = live === undefined ? await this.options.store.getSession(requested) : { userId: live.userId };
      if (record !== undefined && record.userId === userId) return { sessionUUID: requested, resumed: true };
    }
    if (!this.#quota.take(userId)) return TOO_MANY_SESSIONS;
    const sessionUUID = randomUUID();
    // Kept as a detached session until a socket holds it: one whose socket is gone meanwhile lapses.
    await this.options.store.putSession(sessionUUID, { userId }, this.options.bufferMs);
    return { sessionUUID, resumed: false };
  }

  /**
   * Gives a session to a socket (the latest authentication wins, as with the API) once `ready`
   * has been written (the authentication's answer), then replays what the session missed, one
   * frame at a time as the socket takes them, while new frames wait behind the replay.
   *
   * @returns The socket that held the session before, if another one did.
   */
  attach(sessionUUID: string, userId: string, link: BrowserLink, ready: () => void): BrowserLink | undefined {
    let live = this.#live.get(sessionUUID);
    if (live === undefined) {
      live = { id: sessionUUID, userId, link: undefined, held: undefined, heldBytes: 0, pending: undefined, forget: undefined, replay: Promise.resolve() };
      this.#live.set(sessionUUID, live);
    }
    const previous = live.link;
    live.forget?.unsubscribe();
    live.forget = undefined;
    live.link = link;
    live.held ??= [];
    ready();
    const { store } = this.options;
    this.#writes.track(`the session of user=${userId}`, () => store.putSession(sessionUUID, { userId }, ATTACHED_TTL_MS));
    const session = live;
    live.replay = live.replay.then(() => replayKept(session, link, this.#replayContext));
    this.#writes.track(`the replay of the frames kept for user=${userId}`, () => session.replay);
    return previous === link ? undefined : previous;
  }

  /** The socket is gone: the session keeps its frames in the store until it is resumed or expires. */
  detach(sessionUUID: string, link: BrowserLink): void {
    const live = this.#live.get(sessionUUID);
    if (live === undefined || live.link !== link) return;
    live.link = undefined;
    this.#writes.track(`the detached session of user=${live.userId}`, () => this.options.store.putSession(sessionUUID, { userId: live.userId }, this.options.bufferMs));
    live.forget = asyncScheduler.schedule(() => {
      if (live.link === undefined) this.#live.delete(sessionUUID);
    }, this.options.bufferMs);
  }

  /**
   * Queues items for a session; everything queued in one turn (an upstream frame's items for
   * all of this session's tasks) leaves as one frame.
   */
  deliver(sessionUUID: string, data: readonly unknown[], errors: readonly unknown[]): void {
    const live = this.#live.get(sessionUUID);
    if (live === undefined) {
      // Not on this instance (any more): kept for a resume wherever it happens.
      this.#keep(sessionUUID, frameOf(data, errors));
      return;
    }
    if (live.pending === undefined) {
      live.pending = { data: [], errors: [] };
      queueMicrotask(() => this.#flush(live));
    }
    for (const item of data) live.pending.data.push(item);
    for (const item of errors) live.pending.errors.push(item);
  }

  /** Stops every expiry timer (the relay is closing; the store keeps the sessions). */
  stop(): void {
    for (const live of this.#live.values()) live.forget?.unsubscribe();
    this.#live.clear();
  }

  #flush(live: LiveSession): void {
    const batch = live.pending;
    live.pending = undefined;
    if (batch === undefined) return;
    this.#write(live, encodeDownstream(frameOf(batch.data, batch.errors), this.options.apiKey));
  }

  #write(live: LiveSession, text: string): void {
    if (live.held !== undefined) {
      live.held.push(text);
      live.heldBytes += text.length;
      if (live.heldBytes > this.options.maxHeldBytes) {
        live.link?.log('warn', 'relay.slowReader', `${live.heldBytes} bytes wait behind the replay; closing (1013), the session keeps them`);
        live.link?.close(TOO_SLOW.code, TOO_SLOW.reason);
      }
    } else if (live.link === undefined || !live.link.sendText(text)) this.#keepText(live.id, text, `the session of user=${live.userId}`);
  }

  #keep(sessionUUID: string, frame: DownstreamFrame): void {
    // Not held here (another instance's, or lapsed): whose it is, the store knows.
    this.#keepText(sessionUUID, encodeDownstream(frame, this.options.apiKey), 'a session not held by this relay');
  }

  /** Keeps a frame in the store; `whose` names the session in words for the log. */
  #keepText(sessionUUID: string, text: string, whose: string): void {
    this.#writes.track(`a frame kept for ${whose}`, () => this.options.store.appendFrame(sessionUUID, { at: asyncScheduler.now(), text }, this.options.bufferMs));
  }
}

function frameOf(data: readonly unknown[], errors: readonly unknown[]): DownstreamFrame {
  return { ...(data.length > 0 ? { data } : {}), ...(errors.length > 0 ? { errors } : {}) };
}
