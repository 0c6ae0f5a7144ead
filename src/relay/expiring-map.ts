/** An entry and the lane that orders it. */
interface Entry<V> {
  readonly value: V;
  readonly until: number;
  readonly lane: Map<string, number>;
}

/** Expired entries a write removes at most: each write then costs a bounded amount of sweeping. */
const SWEEP_PER_WRITE = 8;
/** Expired entries looked for at most before a full map refuses a new key. */
const SWEEP_WHEN_FULL = 1024;

/**
 * A bounded map whose entries expire. Entries of one lifetime live in a lane of their own, in the
 * order they were written (a refresh moves one to the end), so within a lane the oldest entry is
 * always the first to expire: sweeping walks from the heads and stops at the first live entry,
 * and each write sweeps a few, which keeps the work per write bounded however many entries there
 * are. Entries are also expired when read. A full map refuses new keys instead of forgetting
 * live ones.
 */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #lanes = new Map<number, Map<string, number>>();

  constructor(
    private readonly max: number,
    private readonly now: () => number,
    /** Told about every entry that leaves (expired, replaced, deleted). */
    private readonly dropped: (value: V) => void = () => undefined,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The live value of a key, if any. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.delete(key);
    return undefined;
  }

  /**
   * Writes a key for `ttlMs` (a refresh when it is there).
   *
   * @returns `false`, writing nothing, when the key is new and the map is full of live entries.
   */
  set(key: string, value: V, ttlMs: number): boolean {
    this.sweep(SWEEP_PER_WRITE);
    const present = this.#entries.has(key);
    if (!present && this.#entries.size >= this.max) {
      this.sweep(SWEEP_WHEN_FULL);
      if (this.#entries.size >= this.max) return false;
    }
    if (present) this.#remove(key, this.#entries.get(key)?.value !== value);
    let lane = this.#lanes.get(ttlMs);
    if (lane === undefined) {
      lane = new Map();
      this.#lanes.set(ttlMs, lane);
    }
    const until = this.now() + ttlMs;
    lane.set(key, until);
    this.#entries.set(key, { value, until, lane });
    return true;
  }

  delete(key: string): void {
    this.#remove(key, true);
  }

  /** Removes up to `budget` expired entries, from the head of each lane. */
  sweep(budget: number): void {
    const at = this.now();
    let left = budget;
    for (const [ttl, lane] of this.#lanes) {
      for (const [key, until] of lane) {
        if (until > at || left === 0) break;
        this.delete(key);
        left -= 1;
      }
      if (lane.size === 0) this.#lanes.delete(ttl);
      if (left === 0) return;
    }
  }

  /** Takes a key out; `notify` unless it is being refreshed with the same value. */
  #remove(key: string, notify: boolean): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    entry.lane.delete(key);
    if (notify) this.dropped(entry.value);
  }
}
