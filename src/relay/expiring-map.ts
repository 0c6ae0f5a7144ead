/** A value and when it expires. */
interface Entry<V> {
  readonly value: V;
  readonly until: number;
}

/** Expired entries a write removes at most: each write then costs a bounded amount of sweeping. */
const SWEEP_PER_WRITE = 8;
/** Expired entries looked for at most before a full map refuses a new key. */
const SWEEP_WHEN_FULL = 1024;

/**
 * A bounded map whose entries expire. Entries of one lifetime live in a lane of their own (an
 * insertion-ordered map; a refresh moves an entry to the end), so within a lane the oldest entry
 * is always the first to expire: sweeping walks from the heads and stops at the first live
 * entry, and each write sweeps a few, which keeps the work per write bounded however many
 * entries there are. Entries are also expired when read. A full map refuses new keys instead of
 * forgetting live ones. A relay writes with a handful of lifetimes, so a look-up asks a handful
 * of lanes.
 */
export class ExpiringMap<V> {
  readonly #lanes = new Map<number, Map<string, Entry<V>>>();
  #size = 0;

  constructor(
    private readonly max: number,
    private readonly now: () => number,
    /** Told about every entry that leaves (expired, replaced by another value, deleted). */
    private readonly dropped: (value: V) => void = () => undefined,
  ) {}

  get size(): number {
    return this.#size;
  }

  /** The live value of a key, if any. */
  get(key: string): V | undefined {
    for (const lane of this.#lanes.values()) {
      const entry = lane.get(key);
      if (entry === undefined) continue;
      if (entry.until > this.now()) return entry.value;
      this.#remove(lane, key, entry, true);
      return undefined;
    }
    return undefined;
  }

  /**
   * Writes a key for `ttlMs` (a refresh when it is there).
   *
   * @returns `false`, writing nothing, when the key is new and the map is full of live entries.
   */
  set(key: string, value: V, ttlMs: number): boolean {
    this.sweep(SWEEP_PER_WRITE);
    const found = this.#find(key);
    if (found === undefined && this.#size >= this.max) {
      this.sweep(SWEEP_WHEN_FULL);
      if (this.#size >= this.max) return false;
    }
    if (found !== undefined) this.#remove(found[0], key, found[1], found[1].value !== value);
    let lane = this.#lanes.get(ttlMs);
    if (lane === undefined) {
      lane = new Map();
      this.#lanes.set(ttlMs, lane);
    }
    lane.set(key, { value, until: this.now() + ttlMs });
    this.#size += 1;
    return true;
  }

  delete(key: string): void {
    const found = this.#find(key);
    if (found !== undefined) this.#remove(found[0], key, found[1], true);
  }

  /** Removes up to `budget` expired entries, from the head of each lane. */
  sweep(budget: number): void {
    const at = this.now();
    let left = budget;
    for (const [ttl, lane] of this.#lanes) {
      for (const [key, entry] of lane) {
        if (entry.until > at || left === 0) break;
        this.#remove(lane, key, entry, true);
        left -= 1;
      }
      if (lane.size === 0) this.#lanes.delete(ttl);
      if (left === 0) return;
    }
  }

  #find(key: string): [Map<string, Entry<V>>, Entry<V>] | undefined {
    for (const lane of this.#lanes.values()) {
      const entry = lane.get(key);
      if (entry !== undefined) return [lane, entry];
    }
    return undefined;
  }

  /** Takes an entry out; `notify` unless it is being refreshed with the same value. */
  #remove(lane: Map<string, Entry<V>>, key: string, entry: Entry<V>, notify: boolean): void {
    lane.delete(key);
    this.#size -= 1;
    if (notify) this.dropped(entry.value);
  }
}
