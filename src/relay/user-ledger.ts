/** What the relay counts for one user on this instance. */
export interface UserCounts {
  /** Submissions of this user still at the server. */
  inFlight: number;
  /** Submissions forwarded, since the user's first task on this instance. */
  submitted: number;
  /** Tasks refused. */
  refused: number;
  /** When the submissions of the last minute were forwarded, oldest first. */
  readonly recent: number[];
}

const MINUTE = 60_000;

/**
 * Per-user counters of one relay instance: tasks in flight, the submissions of the rolling
 * minute (for `ratePerMinute`), and totals for the logs. A user whose counters are all idle is
 * forgotten, so the ledger follows the users who are active.
 */
export class UserLedger {
  readonly #users = new Map<string, UserCounts>();

  /** The counts of a user, created empty on first use. */
  of(userId: string): UserCounts {
    let counts = this.#users.get(userId);
    if (counts === undefined) {
      counts = { inFlight: 0, submitted: 0, refused: 0, recent: [] };
      this.#users.set(userId, counts);
    }
    return counts;
  }

  /** Submissions of the user within the minute before `now`. */
  recentSubmissions(userId: string, now: number): number {
    const counts = this.of(userId);
    const { recent } = counts;
    let stale = 0;
    while (stale < recent.length && (recent[stale] ?? 0) <= now - MINUTE) stale += 1;
    if (stale > 0) recent.splice(0, stale);
    return recent.length;
  }

  /** A submission of the user went upstream. */
  submitted(userId: string, now: number): UserCounts {
    const counts = this.of(userId);
    counts.submitted += 1;
    counts.inFlight += 1;
    counts.recent.push(now);
    return counts;
  }

  /** A submission of the user is over (finished, failed or forgotten). */
  settled(userId: string): UserCounts {
    const counts = this.of(userId);
    counts.inFlight = Math.max(0, counts.inFlight - 1);
    return counts;
  }

  /** A task of the user was refused. */
  refused(userId: string): UserCounts {
    const counts = this.of(userId);
    counts.refused += 1;
    return counts;
  }

  /** Forgets users with nothing in flight and no submission within the minute before `now`. */
  prune(now: number): void {
    for (const [userId, counts] of this.#users) {
      if (counts.inFlight === 0 && this.recentSubmissions(userId, now) === 0) this.#users.delete(userId);
    }
  }
}
