import { asyncScheduler } from 'rxjs';
import { ExpiringMap } from './expiring-map.js';
import type { BufferedFrame, ClaimKind, OwnerClaim, RelayStore, SessionRecord } from './store.js';
import { RelayStoreFullError } from './store.js';

/** Bounds of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Claims kept at most in each namespace (taskUUIDs, media UUIDs); beyond it new claims are refused, never old ones forgotten. Default 1 000 000. */
  readonly maxClaims?: number | undefined;
  /** Browser sessions kept at most; beyond it new sessions are refused. Default 200 000. */
  readonly maxSessions?: number | undefined;
  /** Frames kept at most per detached session; beyond it the oldest are dropped. Default 10 000. */
  readonly maxFramesPerSession?: number | undefined;
  /** Bytes of frames kept at most per detached session; beyond it the oldest are dropped. Default 33 554 432 (32 MiB). */
  readonly maxBytesPerSession?: number | undefined;
  /** Bytes of frames kept at most for all sessions together; beyond it a session's oldest frames go first, then new frames are refused. Default 268 435 456 (256 MiB). */
  readonly maxFrameBytes?: number | undefined;
}

interface KeptFrames {
  readonly list: BufferedFrame[];
  bytes: number;
}

const MiB = 1024 * 1024;
const bytesOf = (frame: BufferedFrame): number => Buffer.byteLength(frame.text);

/**
 * The default {@link RelayStore}: maps in this process's memory, bounded in count and bytes,
 * entries expiring (swept from the oldest as new ones arrive, a few per write, and checked when
 * read). A full store refuses new claims and sessions rather than forgetting live ones, since a
 * forgotten claim would leave a task or media UUID free for another user to take. Several relay
 * instances in one process may share it, which is how a relay restart keeps its browsers'
 * tasks; instances in other processes need a store of their own kind.
 *
 * @param options The bounds.
 * @returns An empty store.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): RelayStore {
  const maxClaims = options.maxClaims ?? 1_000_000;
  const maxFrames = options.maxFramesPerSession ?? 10_000;
  const maxSessionBytes = options.maxBytesPerSession ?? 32 * MiB;
  const maxTotalBytes = options.maxFrameBytes ?? 256 * MiB;
  const now = (): number => asyncScheduler.now();
  const claims: Record<ClaimKind, ExpiringMap<OwnerClaim>> = { task: new ExpiringMap(maxClaims, now), media: new ExpiringMap(maxClaims, now) };
  const sessions = new ExpiringMap<SessionRecord>(options.maxSessions ?? 200_000, now);
  let totalBytes = 0;
  const frames = new ExpiringMap<KeptFrames>(Infinity, now, (kept) => (totalBytes -= kept.bytes));

  const dropOldest = (kept: KeptFrames): void => {
    const oldest = kept.list.shift();
    if (oldest === undefined) return;
    const size = bytesOf(oldest);
    kept.bytes -= size;
    totalBytes -= size;
  };

  return {
    claim(uuid, claim, ttlMs) {
      const namespace = claims[claim.kind];
      const held = namespace.get(uuid);
      if (held !== undefined) return held;
      if (!namespace.set(uuid, claim, ttlMs)) throw new RelayStoreFullError(`${claim.kind} claims`);
      return claim;
    },
    holderOf: (uuid, kind) => claims[kind].get(uuid),
    holdersOf: (uuids, kind) => uuids.map((uuid) => claims[kind].get(uuid)),
    release(uuid, claim) {
      const namespace = claims[claim.kind];
      const held = namespace.get(uuid);
      if (held !== undefined && held.userId === claim.userId && held.id === claim.id) namespace.delete(uuid);
    },
    getSession: (sessionUUID) => sessions.get(sessionUUID),
    putSession(sessionUUID, record, ttlMs) {
      if (!sessions.set(sessionUUID, record, ttlMs)) throw new RelayStoreFullError('sessions');
    },
    appendFrame(sessionUUID, frame, ttlMs) {
      const size = bytesOf(frame);
      if (size > maxSessionBytes) throw new RelayStoreFullError('a frame larger than maxBytesPerSession');
      const kept = frames.get(sessionUUID) ?? { list: [], bytes: 0 };
      // Written first (a refresh keeps its bytes), then trimmed to the bounds.
      frames.set(sessionUUID, kept, ttlMs);
      kept.list.push(frame);
      kept.bytes += size;
      totalBytes += size;
      while (kept.list.length > maxFrames || kept.bytes > maxSessionBytes) dropOldest(kept);
      while (totalBytes > maxTotalBytes && kept.list.length > 1) dropOldest(kept);
      if (totalBytes > maxTotalBytes) {
        dropOldest(kept);
        throw new RelayStoreFullError('frames');
      }
    },
    takeFrames(sessionUUID) {
      const kept = frames.get(sessionUUID);
      frames.delete(sessionUUID);
      return kept?.list ?? [];
    },
  };
}
