/** Options of {@link createLru}. */
export interface LruOptions<V> {
  /** Evict least recently used entries while the summed cost exceeds this. */
  maxCost: number;
  /** Cost of one entry (bytes, or 1 to bound the entry count). Default: 1. */
  costOf?: (value: V) => number;
}

/** A least-recently-used map with a total-cost bound. */
export interface Lru<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

/**
 * An LRU built on `Map` insertion order: a hit is re-inserted at the end, eviction takes from the
 * front, so every operation is O(1).
 */
export const createLru = <K, V>({ maxCost, costOf = () => 1 }: LruOptions<V>): Lru<K, V> => {
  const entries = new Map<K, { value: V; cost: number }>();
  let total = 0;

  const remove = (key: K) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    total -= entry.cost;
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      remove(key);
      const cost = costOf(value);
      entries.set(key, { value, cost });
      total += cost;
      for (const oldest of entries.keys()) {
        if (total <= maxCost || oldest === key) break;
        remove(oldest);
      }
    },
    delete: remove,
    clear() {
      entries.clear();
      total = 0;
    },
    get size() {
      return entries.size;
    },
  };
};
