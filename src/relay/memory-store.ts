import { asyncScheduler } from 'rxjs';
import type { BufferedFrame, OwnerClaim, RelayStore, SessionRecord } from './store.js';

/** Bounds of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** UUID claims kept at most; beyond it the oldest are forgotten first. Default 1 000 000. */
  readonly maxClaims?: number;
  /** Frames kept at most per detached session; beyond it the oldest are dropped. Default 10 000. */
  readonly maxFramesPerSession?: number;
}

interface Expiring<T> {
  readonly value: T;
  readonly until: number;
}

/**
 * The default {@link RelayStore}: maps in this process's memory, bounded in count, entries
 * expiring lazily (checked when read, swept as new ones arrive). Several relay instances in one
 * process may share it, which is how a relay restart keeps its browsers' tasks; instances in
 * other processes need a store of their own kind.
 *
 * @param options The bounds.
 * @returns An empty store.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): RelayStore {
  const maxClaims = options.maxClaims ?? 1_000_000;
  const maxFrames = options.maxFramesPerSession ?? 10_000;
  const claims = new Map<string, Expiring<OwnerClaim>>();
  const sessions = new Map<string, Expiring<SessionRecord>>();
  const frames = new Map<string, { until: number; list: BufferedFrame[] }>();
  const now = (): number => asyncScheduler.now();
  let writes = 0;

  /** Every so many writes, forget what has expired, so memory follows what is live. */
  const sweep = (): void => {
    writes += 1;
    if (writes % 1024 !== 0) return;
    const at = now();
    for (const map of [claims, sessions, frames] as Map<string, { until: number }>[]) {
      for (const [key, entry] of map) if (entry.until <= at) map.delete(key);
    }
  };
  const live = <T>(map: Map<string, Expiring<T>>, key: string): T | undefined => {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > now()) return entry.value;
    map.delete(key);
    return undefined;
  };

  return {
    claim(uuid, claim, ttlMs) {
      const held = live(claims, uuid);
      if (held !== undefined) return held;
      sweep();
      if (claims.size >= maxClaims) {
        const oldest = claims.keys().next();
        if (oldest.done !== true) claims.delete(oldest.value);
      }
      claims.set(uuid, { value: claim, until: now() + ttlMs });
      return claim;
    },
    holderOf: (uuid) => live(claims, uuid),
    getSession: (sessionUUID) => live(sessions, sessionUUID),
    putSession(sessionUUID, record, ttlMs) {
      sweep();
      sessions.set(sessionUUID, { value: record, until: now() + ttlMs });
    },
    appendFrame(sessionUUID, frame, ttlMs) {
      sweep();
      const kept = frames.get(sessionUUID);
      const until = now() + ttlMs;
      if (kept === undefined || kept.until <= now()) {
        frames.set(sessionUUID, { until, list: [frame] });
        return;
      }
      kept.until = until;
      kept.list.push(frame);
      if (kept.list.length > maxFrames) kept.list.splice(0, kept.list.length - maxFrames);
    },
    takeFrames(sessionUUID) {
      const kept = frames.get(sessionUUID);
      frames.delete(sessionUUID);
      return kept === undefined || kept.until <= now() ? [] : kept.list;
    },
  };
}
