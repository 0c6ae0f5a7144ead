import type { Duplex } from 'node:stream';

/** Bytes of WebSocket framing let through besides the payload before sign-in: frame headers and masks, a few pings. */
const FRAMING_SLACK = 1024;

/**
 * Counts what an upgraded socket receives until its page authenticates, in all. `ws` assembles a
 * message whole before the relay sees it, up to the server's `maxPayload` (16 MiB): a message sent
 * in fragments, or one large frame sent slowly, would be held whole until the authentication
 * deadline before the check of each frame could refuse it. Past `limit` bytes (and the framing),
 * `over` is told once (it closes the socket, 1009), the socket is no longer read, and it ends
 * once the close frame is written.
 *
 * @param raw The upgraded socket, read by `ws` through a `data` listener before this one.
 * @param limit The bytes of payload a page may send before it authenticates.
 * @param over Closes the socket (writes its close frame).
 * @returns Stops counting: the page has authenticated.
 */
export function countBytesBeforeSignIn(raw: Duplex, limit: number, over: () => void): () => void {
  let bytes = 0;
  const count = (chunk: Buffer | string): void => {
    bytes += chunk.length;
    if (bytes <= limit + FRAMING_SLACK) return;
    stop();
    over();
    // Nothing more is read, and once the close frame is out the socket ends: a peer that keeps
    // sending would otherwise be read on for as long as `ws` waits for its answering close.
    raw.pause();
    raw.write(Buffer.alloc(0), () => raw.destroy());
  };
  const stop = (): void => void raw.off('data', count);
  raw.on('data', count);
  return stop;
}
