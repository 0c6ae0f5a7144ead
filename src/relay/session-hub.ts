import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import type { RelayLog } from './relay-log.js';
import type { BufferedFrame, RelayStore } from './store.js';

/** A browser socket as the sessions see it. */
export interface BrowserLink {
  /** A short id for logs. */
  readonly id: string;
  /** Whether the socket is open. */
  readonly open: boolean;
  /** Writes a frame's text if the socket is open and reads fast enough; `false` otherwise (the caller keeps it). */
  sendText(text: string): boolean;
  /** Writes a frame's text and resolves once it has left for the network: `false` if the socket closed first. */
  sendPaced(text: string): Promise<boolean>;
  close(code: number, reason: string): void;
  /** Writes a line about this socket to the relay's log. */
  log(level: 'debug' | 'warn', event: string, detail: string): void;
}

/** A session of this instance: whose it is, the socket it delivers to, what waits for this turn's frame. */
interface LiveSession {
  readonly id: string;
  readonly userId: string;
  link: BrowserLink | undefined;
  /** While the frames kept for it are replayed, new ones wait here, so that order is kept. */
  held: string[] | undefined;
  /** Bytes waiting in `held`. */
  heldBytes: number;
  /** The replay under way, if any: a later one waits for it, so that no frame goes back to the store behind its back. */
  replay: Promise<void>;
  pending: { data: unknown[]; errors: unknown[] } | undefined;
  forget: Subscription | undefined;
}

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
  readonly log: RelayLog | undefined;
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
  readonly #writes = new Set<Promise<void>>();

  constructor(private readonly options: SessionHubOptions) {}

  /**
   * Opens a new session for a user, or resumes the one asked for when it is kept and is the same
   * user's. A session of another user (or an unknown one) is never resumed: a new one is opened,
   * as the API does for an unknown session, and nothing tells which it was.
   *
   * @returns The session's UUID and whether it was resumed.
   */
  async open(userId: string, requested: unknown): Promise<{ readonly sessionUUID: string; readonly resumed: boolean }> {
    if (typeof requested === 'string' && requested !== '') {
      const live = this.#live.get(requested);
      const record = live === undefined ? await this.options.store.getSession(requested) : { userId: live.userId };
      if (record !== undefined && record.userId === userId) return { sessionUUID: requested, resumed: true };
    }
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
    this.#track(() => store.putSession(sessionUUID, { userId }, ATTACHED_TTL_MS));
    const session = live;
    live.replay = live.replay.then(() => this.#replay(session, link));
    this.#track(() => session.replay);
    return previous === link ? undefined : previous;
  }

  /** Replays the frames kept for a session to its socket; what the socket does not take goes back to the store, in order. */
  async #replay(live: LiveSession, link: BrowserLink): Promise<void> {
    const { store, bufferMs } = this.options;
    let kept: readonly BufferedFrame[] = [];
    try {
      kept = live.link === link ? await store.takeFrames(live.id) : [];
    } catch (error) {
      link.log('warn', 'relay.store', `the frames kept for the session could not be read: ${String(error)}`);
    }
    const oldest = asyncScheduler.now() - bufferMs;
    const frames = kept.filter((frame) => frame.at >= oldest);
    let sent = 0;
    while (sent < frames.length && live.link === link && (await link.sendPaced(frames[sent]?.text ?? ''))) sent += 1;
    if (sent > 0) link.log('debug', 'relay.replay', `user=${live.userId} frames=${sent}`);
    if (live.link !== link && live.held !== undefined && live.link !== undefined) {
      // Another socket took the session meanwhile: its own replay comes next and sends what is left.
      for (const frame of frames.slice(sent)) this.#track(() => store.appendFrame(live.id, frame, bufferMs));
      return;
    }
    const held = live.held ?? [];
    live.held = undefined;
    live.heldBytes = 0;
    const rest = frames.slice(sent);
    if (rest.length === 0) {
      for (const text of held) this.#write(live, text);
      return;
    }
    for (const frame of rest) this.#track(() => store.appendFrame(live.id, frame, bufferMs));
    for (const text of held) this.#keepText(live.id, text);
  }

  /** The socket is gone: the session keeps its frames in the store until it is resumed or expires. */
  detach(sessionUUID: string, link: BrowserLink): void {
    const live = this.#live.get(sessionUUID);
    if (live === undefined || live.link !== link) return;
    live.link = undefined;
    this.#track(() => this.options.store.putSession(sessionUUID, { userId: live.userId }, this.options.bufferMs));
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

  /** Waits for the store writes under way (a relay closing hands its sessions over complete). */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes);
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
    } else if (live.link === undefined || !live.link.sendText(text)) this.#keepText(live.id, text);
  }

  #keep(sessionUUID: string, frame: DownstreamFrame): void {
    this.#keepText(sessionUUID, encodeDownstream(frame, this.options.apiKey));
  }

  #keepText(sessionUUID: string, text: string): void {
    this.#track(() => this.options.store.appendFrame(sessionUUID, { at: asyncScheduler.now(), text }, this.options.bufferMs));
  }

  /** Runs a store write and waits for it in `settled()`; a write that fails (at once or later) is logged, never thrown. */
  #track(start: () => void | Promise<void>): void {
    let write: void | Promise<void>;
    try {
      write = start();
    } catch (error) {
      this.options.log?.('warn', 'relay.store', `a store write failed: ${String(error)}`, 'relay');
      return;
    }
    if (write === undefined) return;
    const tracked = write.then(
      () => undefined,
      (error: unknown) => this.options.log?.('warn', 'relay.store', `a store write failed: ${String(error)}`, 'relay'),
    );
    this.#writes.add(tracked);
    void tracked.then(() => this.#writes.delete(tracked));
  }
}

function frameOf(data: readonly unknown[], errors: readonly unknown[]): DownstreamFrame {
  return { ...(data.length > 0 ? { data } : {}), ...(errors.length > 0 ? { errors } : {}) };
}
