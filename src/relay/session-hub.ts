import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { DownstreamFrame } from './downstream.js';
import { encodeDownstream } from './downstream.js';
import type { RelayLog } from './relay-log.js';
import type { RelayStore } from './store.js';

/** A browser socket as the sessions see it. */
export interface BrowserLink {
  /** A short id for logs. */
  readonly id: string;
  /** Whether the socket is open. */
  readonly open: boolean;
  /** Writes a frame's text if the socket is open and reads fast enough; `false` otherwise (the caller keeps it). */
  sendText(text: string): boolean;
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
  readonly log: RelayLog | undefined;
}

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
   * Gives a session to a socket (the latest authentication wins, as with the API) and replays
   * what the session missed once `ready` has been written (the authentication's answer).
   *
   * @returns The socket that held the session before, if another one did.
   */
  async attach(sessionUUID: string, userId: string, link: BrowserLink, ready: () => void): Promise<BrowserLink | undefined> {
    let live = this.#live.get(sessionUUID);
    if (live === undefined) {
      live = { id: sessionUUID, userId, link: undefined, held: undefined, pending: undefined, forget: undefined };
      this.#live.set(sessionUUID, live);
    }
    const previous = live.link;
    live.forget?.unsubscribe();
    live.forget = undefined;
    live.link = link;
    live.held = [];
    ready();
    const { store } = this.options;
    this.#track(() => store.putSession(sessionUUID, { userId }, ATTACHED_TTL_MS));
    try {
      const kept = await store.takeFrames(sessionUUID);
      const oldest = asyncScheduler.now() - this.options.bufferMs;
      const replayed = kept.filter((frame) => frame.at >= oldest);
      // A socket that stops reading during the replay leaves the rest to the store, in order.
      for (const frame of replayed) if (!link.sendText(frame.text)) this.#track(() => store.appendFrame(sessionUUID, frame, this.options.bufferMs));
      if (replayed.length > 0) link.log('debug', 'relay.replay', `user=${userId} frames=${replayed.length}`);
    } catch (error) {
      link.log('warn', 'relay.store', `the frames kept for the session could not be read: ${String(error)}`);
    } finally {
      const held = live.held;
      live.held = undefined;
      for (const text of held) this.#write(live, text);
    }
    return previous === link ? undefined : previous;
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
    if (live.held !== undefined) live.held.push(text);
    else if (live.link === undefined || !live.link.sendText(text)) this.#keepText(live.id, text);
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
