/** A value now, or once a store that lives elsewhere (Redis, a database) has answered. */
export type Awaitable<T> = T | Promise<T>;

/** Who a UUID belongs to: a task a user submitted, or media produced for (or uploaded by) them. */
export interface OwnerClaim {
  /** The policy's user id. */
  readonly userId: string;
  readonly kind: 'task' | 'media';
  /** A task's type, so that a relay that did not see the submission can still follow it. */
  readonly taskType?: string;
  /** How many result items the task produces (`numberResults`), for the same reason. */
  readonly expected?: number;
}

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
   * Claims a UUID for a user unless it is claimed already, atomically (a SET-if-absent): two
   * users racing for one taskUUID must see the same winner.
   *
   * @returns The claim that holds after the call: the new one, or the one that was there.
   */
  claim(uuid: string, claim: OwnerClaim, ttlMs: number): Awaitable<OwnerClaim>;
  /** The claim on a UUID, if any. */
  holderOf(uuid: string): Awaitable<OwnerClaim | undefined>;
  /** A browser session's record, if it is still kept. */
  getSession(sessionUUID: string): Awaitable<SessionRecord | undefined>;
  /** Keeps (or refreshes) a browser session's record for `ttlMs`. */
  putSession(sessionUUID: string, record: SessionRecord, ttlMs: number): Awaitable<void>;
  /** Keeps a frame for a detached session, for `ttlMs`, after the ones kept before. */
  appendFrame(sessionUUID: string, frame: BufferedFrame, ttlMs: number): Awaitable<void>;
  /** Takes (and forgets) every frame kept for a session, oldest first. */
  takeFrames(sessionUUID: string): Awaitable<readonly BufferedFrame[]>;
}
