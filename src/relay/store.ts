/** A value now, or once a store that lives elsewhere (Redis, a database) has answered. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Who a UUID belongs to: a task a user submitted, or media produced for (or uploaded by) them.
 * Task claims and media claims are two namespaces: a taskUUID that happens to equal a media UUID
 * claims nothing of the media.
 */
export interface OwnerClaim {
  /** The policy's user id. */
  readonly userId: string;
  /** The namespace: `task` for taskUUIDs, `media` for the UUIDs of outputs. */
  readonly kind: ClaimKind;
  /** A task's type, so that a relay that did not see the submission can still follow it. */
  readonly taskType?: string;
  /** How many result items the task produces (`numberResults`), for the same reason. */
  readonly expected?: number;
  /**
   * A random id the relay gives each claim it makes: when `claim` answers with this id, the
   * claim is the one just made and not one that was already there.
   */
  readonly id?: string;
}

/** The two namespaces of claims. */
export type ClaimKind = 'task' | 'media';

/** A browser session the relay handed out: whose it is. */
export interface SessionRecord {
  readonly userId: string;
}

/** A frame for a browser session that had no socket when it was produced, as it would have been sent. */
export interface BufferedFrame {
  /** When it was produced (ms since the epoch). */
  readonly at: number;
  /** The frame's text, already redacted. */
  readonly text: string;
}

/**
 * Where a relay keeps what must outlive a socket, and a relay instance: who owns which taskUUID
 * and media UUID, which user each browser session belongs to, and the frames a detached session
 * has not received yet. Give every relay instance of an app the same store (one backed by Redis,
 * say) and a restarted or second instance keeps every user's tasks; the default keeps it all in
 * this process's memory ({@link createMemoryStore}). Each method may answer at once or with a
 * promise. Entries may be forgotten once their `ttlMs` has passed.
 */
export interface RelayStore {
  /**
   * Claims a UUID for a user in the claim's namespace (`claim.kind`) unless it is claimed
   * already, atomically (a SET-if-absent): two users racing for one taskUUID must see the same
   * winner. A store that cannot keep another claim must reject (throw) rather than forget a live
   * one: the relay then refuses the task (`serviceUnavailable`), and nobody's ownership is lost.
   *
   * @returns The claim that holds after the call: the new one, or the one that was there.
   */
  claim(uuid: string, claim: OwnerClaim, ttlMs: number): Awaitable<OwnerClaim>;
  /** The claim on a UUID in a namespace, if any. */
  holderOf(uuid: string, kind: ClaimKind): Awaitable<OwnerClaim | undefined>;
  /** The claims on several UUIDs of a namespace, in their order: one round trip for a task's inputs. */
  holdersOf(uuids: readonly string[], kind: ClaimKind): Awaitable<readonly (OwnerClaim | undefined)[]>;
  /**
   * Forgets a claim if it is still this one (the same user and `id`): a claim the relay made for a
   * taskUUID that turned out to be someone else's at the server, or that it never sent.
   */
  release(uuid: string, claim: OwnerClaim): Awaitable<void>;
  /** A browser session's record, if it is still kept. */
  getSession(sessionUUID: string): Awaitable<SessionRecord | undefined>;
  /** Keeps (or refreshes) a browser session's record for `ttlMs`; rejects when it cannot keep another. */
  putSession(sessionUUID: string, record: SessionRecord, ttlMs: number): Awaitable<void>;
  /**
   * Keeps a frame for a detached session, for `ttlMs`, after the ones kept before. A store may
   * drop the oldest frames of a session to stay within its bounds, and rejects a frame it cannot
   * keep at all.
   */
  appendFrame(sessionUUID: string, frame: BufferedFrame, ttlMs: number): Awaitable<void>;
  /** Takes (and forgets) every frame kept for a session, oldest first. */
  takeFrames(sessionUUID: string): Awaitable<readonly BufferedFrame[]>;
}

/** What a store throws when it is full and would have to forget something live to take more. */
export class RelayStoreFullError extends Error {
  /** Stable, for code that branches on it. */
  readonly code = 'storeFull';

  constructor(what: string) {
    super(`The relay store is full: ${what}`);
    this.name = 'RelayStoreFullError';
  }
}
