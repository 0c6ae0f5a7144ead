import type { Bracket } from './ready-window.js';

/** What a client remembers of when its polled tasks became ready, per kind of task. */
export interface ReadyMemory {
  /** Remembers one finished task of a kind. */
  remember(key: string, bracket: Bracket): void;
  /** The brackets of the latest finished tasks of a kind, oldest first; empty when none. */
  recall(key: string): readonly Bracket[];
}

/** The bounds of a {@link ReadyMemory}. */
export interface ReadyMemoryBounds {
  /** Brackets kept per kind: the latest ones (a model that gets faster or slower is followed). */
  readonly perKey: number;
  /** Kinds kept: the least recently finished kind is forgotten first. */
  readonly keys: number;
}

const NOTHING: readonly Bracket[] = [];

/**
 * Creates a bounded memory: at most `keys × perKey` brackets, whatever runs through the client.
 *
 * @param bounds How much to keep.
 * @returns An empty memory.
 */
export function createReadyMemory(bounds: ReadyMemoryBounds): ReadyMemory {
  // A Map iterates in insertion order: re-inserting a key on each remember keeps the least
  // recently finished kind first, where it is evicted.
  const kinds = new Map<string, Bracket[]>();
  return {
    remember(key, bracket) {
      const kept = kinds.get(key) ?? [];
      kinds.delete(key);
      kept.push(bracket);
      if (kept.length > bounds.perKey) kept.shift();
      kinds.set(key, kept);
      if (kinds.size > bounds.keys) kinds.delete(kinds.keys().next().value as string);
    },
    recall: (key) => kinds.get(key) ?? NOTHING,
  };
}
