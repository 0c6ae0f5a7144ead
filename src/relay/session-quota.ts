import { asyncScheduler } from 'rxjs';
import { ExpiringMap } from './expiring-map.js';

/** What opening a session answers when its user has opened the most allowed lately. */
export const TOO_MANY_SESSIONS: unique symbol = Symbol('too many sessions');

/** New sessions one user may open within a buffer period (each is kept that long once its socket lets go). */
export const MAX_NEW_SESSIONS_PER_USER = 64;
/** Users whose new sessions are counted at once; past it, a user is not counted (the count guards the store, it must not lock sign-ins). */
const MAX_USERS_COUNTED = 100_000;

/**
 * How many sessions each user has opened lately, so that no user can fill the store's sessions,
 * which every user shares: the times of a user's new sessions within the last `bufferMs`, at most
 * {@link MAX_NEW_SESSIONS_PER_USER}. A resumed session opens nothing and is not counted.
 */
export class SessionQuota {
  readonly #opened = new ExpiringMap<number[]>(MAX_USERS_COUNTED, () => asyncScheduler.now());

  constructor(private readonly bufferMs: number) {}

  /**
   * Counts a new session of the user, if the user has room for one.
   *
   * @returns `false`, counting nothing, when the user opened the most sessions allowed in the last `bufferMs`.
   */
  take(userId: string): boolean {
    const now = asyncScheduler.now();
    const recent = (this.#opened.get(userId) ?? []).filter((at) => now - at < this.bufferMs);
    if (recent.length >= MAX_NEW_SESSIONS_PER_USER) return false;
    recent.push(now);
    this.#opened.set(userId, recent, this.bufferMs);
    return true;
  }
}
