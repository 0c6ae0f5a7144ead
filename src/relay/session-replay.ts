import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { BrowserLink } from './browser-link.js';
import type { BufferedFrame, RelayStore } from './store.js';
import type { StoreWrites } from './store-writes.js';

/** A session of this instance: whose it is, the socket it delivers to, what waits for this turn's frame. */
export interface LiveSession {
  readonly id: string;
  readonly userId: string;
  link: BrowserLink | undefined;
  /** While the frames kept for it are replayed, new ones wait here, so that order is kept. */
  held: string[] | undefined;
  /** Bytes waiting in `held`. */
  heldBytes: number;
  /** The replay under way, if any: a later one waits for it, so that no frame goes back to the store behind its back. */
  replay: Promise<void>;
  pending: { data: unknown[]; errors: unknown[] } | undefined;
  forget: Subscription | undefined;
}

/** What a replay needs from the hub. */
export interface ReplayContext {
  readonly store: RelayStore;
  /** How long a kept frame stays worth sending (older ones are dropped, as the API drops them). */
  readonly bufferMs: number;
  readonly writes: StoreWrites;
  /** Writes a frame's text to the session's socket, or keeps it when the socket does not take it. */
  write(live: LiveSession, text: string): void;
  /** Keeps a frame's text in the store for the session's next socket. */
  keepText(live: LiveSession, text: string): void;
}

/**
 * Replays the frames kept for a session to the socket that has just taken it, one at a time as
 * the socket takes them, then the frames held back meanwhile. What the socket does not take goes
 * back to the store, in order, behind what was kept before it; when another socket took the
 * session meanwhile, its own replay (which waits for this one) sends what is left.
 */
export async function replayKept(live: LiveSession, link: BrowserLink, context: ReplayContext): Promise<void> {
  const { store, bufferMs, writes } = context;
  let kept: readonly BufferedFrame[] = [];
  try {
    kept = live.link === link ? await store.takeFrames(live.id) : [];
  } catch (error) {
    link.log('warn', 'relay.store', `the frames kept for the session could not be read: ${String(error)}`);
  }
  const oldest = asyncScheduler.now() - bufferMs;
  const frames = kept.filter((frame) => frame.at >= oldest);
  let sent = 0;
  while (sent < frames.length && live.link === link && (await link.sendPaced(frames[sent]?.text ?? ''))) sent += 1;
  if (sent > 0) link.log('debug', 'relay.replay', `user=${live.userId} frames=${sent}`);
  if (live.link !== link && live.held !== undefined && live.link !== undefined) {
    // Another socket took the session meanwhile: its own replay comes next and sends what is left.
    for (const frame of frames.slice(sent)) writes.track(`a frame kept for the session of user=${live.userId}`, () => store.appendFrame(live.id, frame, bufferMs));
    return;
  }
  const held = live.held ?? [];
  live.held = undefined;
  live.heldBytes = 0;
  const rest = frames.slice(sent);
  if (rest.length === 0) {
    for (const text of held) context.write(live, text);
    return;
  }
  for (const frame of rest) writes.track(`a frame kept for the session of user=${live.userId}`, () => store.appendFrame(live.id, frame, bufferMs));
  for (const text of held) context.keepText(live, text);
}
