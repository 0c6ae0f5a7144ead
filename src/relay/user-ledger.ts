/** What the relay counts for one user on this instance. */
export interface UserCounts {
  /** Submissions of this user still at the server, or reserved for a submission being checked. */
  inFlight: number;
  /** Submissions forwarded, since the user's first task on this instance. */
  submitted: number;
  /** Tasks refused. */
  refused: number;
  /**
   * When the submissions of the last minute were reserved, oldest first; kept only while the
   * user has a rate, and never more of them than the rate, so it cannot grow without bound.
   */
  readonly recent: number[];
}

/** The limits a reservation is checked against. */
export interface Limits {
  readonly maxInFlight?: number | undefined;
  readonly ratePerMinute?: number | undefined;
}

/** A slot (and a place in the rolling minute) held for a submission while it is checked. */
export interface Reservation {
  /** The submission went upstream: the slot stays until the task settles. */
  commit(): UserCounts;
  /** The submission was refused or dropped: the slot and the rate entry are given back. */
  release(): void;
}

const MINUTE = 60_000;

/**
 * Per-user counters of one relay instance: tasks in flight, the submissions of the rolling
 * minute (for `ratePerMinute`), and totals for the logs. A submission reserves its slot at once,
 * before anything is awaited, so that frames of one user arriving together on several sockets
 * cannot all pass the limits before any of them is counted. Users whose counters are idle are
 * forgotten, at most once a minute, so the ledger follows the users who are active.
 */
export class UserLedger {
  readonly #users = new Map<string, UserCounts>();
  #prunedAt = Number.NEGATIVE_INFINITY;

  /** The counts of a user, created empty on first use. */
  of(userId: string): UserCounts {
    let counts = this.#users.get(userId);
    if (counts === undefined) {
      counts = { inFlight: 0, submitted: 0, refused: 0, recent: [] };
      this.#users.set(userId, counts);
    }
    return counts;
  }

  /**
   * Reserves a slot for a submission of the user at `now`, if the limits allow it.
   *
   * @returns The reservation, or which limit refused it.
   */
  reserve(userId: string, now: number, limits: Limits): Reservation | 'ratePerMinute' | 'maxInFlight' {
    const counts = this.of(userId);
    const { recent } = counts;
    dropStale(recent, now);
    if (limits.ratePerMinute !== undefined && recent.length >= limits.ratePerMinute) return 'ratePerMinute';
    if (limits.maxInFlight !== undefined && counts.inFlight >= limits.maxInFlight) return 'maxInFlight';
    counts.inFlight += 1;
    const timed = limits.ratePerMinute !== undefined;
    if (timed) recent.push(now);
    let open = true;
    return {
      commit: () => {
        if (open) counts.submitted += 1;
        open = false;
        return counts;
      },
      release: () => {
        if (!open) return;
        open = false;
        counts.inFlight = Math.max(0, counts.inFlight - 1);
        if (!timed) return;
        const at = recent.lastIndexOf(now);
        if (at >= 0) recent.splice(at, 1);
      },
    };
  }

  /** A submission of the user is over (finished, failed or forgotten): its slot is free. */
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

  /** How many users the ledger holds. */
  get size(): number {
    return this.#users.size;
  }

  /** Forgets users with nothing in flight and no submission within the minute before `now`; does the walk at most once a minute. */
  prune(now: number): void {
    if (now - this.#prunedAt < MINUTE) return;
    this.#prunedAt = now;
    for (const [userId, counts] of this.#users) {
      dropStale(counts.recent, now);
      if (counts.inFlight === 0 && counts.recent.length === 0) this.#users.delete(userId);
    }
  }
}

/** Drops the entries of `recent` older than a minute before `now`. */
function dropStale(recent: number[], now: number): void {
  let stale = 0;
  while (stale < recent.length && (recent[stale] ?? 0) <= now - MINUTE) stale += 1;
  if (stale > 0) recent.splice(0, stale);
}
