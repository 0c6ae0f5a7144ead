import type { OwnerClaim, RelayStore } from './store.js';
import type { StoreWrites } from './store-writes.js';

/** A claim on its way to the store, and how many writes of it are under way. */
interface Pending {
  readonly claim: OwnerClaim;
  writes: number;
}

/**
 * The media claims of results on their way to the store. A result goes to its page without
 * waiting for the store (a slow one must not hold results back), so the page may use its media
 * in its next task before the store has the claim: until the store has answered, the claim is
 * held here, and the checks of inputs count it, for its user (with `unclaimedInputs: 'refuse'`
 * their own media is theirs at once) and against everyone else (with `'allow'`, another user
 * could otherwise use it in that window). The writes are the relay's store writes, which a
 * closing relay waits for.
 */
export class ClaimsInFlight {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly store: RelayStore,
    private readonly writes: StoreWrites,
    private readonly ttlMs: number,
  ) {}

  /** Claims media UUIDs for a user, in the background; each counts from now on. */
  claim(userId: string, uuids: readonly string[]): void {
    for (const uuid of uuids) {
      const claim: OwnerClaim = { userId, kind: 'media' };
      const pending = this.#pending.get(uuid);
      // The first claim is the one the store keeps (a claim is set only if absent).
      if (pending === undefined) this.#pending.set(uuid, { claim, writes: 1 });
      else pending.writes += 1;
      this.writes.track(
        `a media claim of user=${userId}`,
        () => this.store.claim(uuid, claim, this.ttlMs),
        () => this.#written(uuid),
      );
    }
  }

  /** The claim on a media UUID that is on its way to the store, if any. */
  holderOf(uuid: string): OwnerClaim | undefined {
    return this.#pending.get(uuid)?.claim;
  }

  /** A write ended (taken, or failed and logged): from now on the store's answer is the claim. */
  #written(uuid: string): void {
    const pending = this.#pending.get(uuid);
    if (pending === undefined) return;
    pending.writes -= 1;
    if (pending.writes === 0) this.#pending.delete(uuid);
  }
}
