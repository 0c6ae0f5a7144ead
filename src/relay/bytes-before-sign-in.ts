import type { Duplex } from 'node:stream';

/**
 * Bytes let through besides the payload: frame headers and masks and a few pings, and one read of
 * the socket (at most 64 KiB), which `ws` parses before this count sees it and which may still
 * carry the end of the message before (the count starts again when that one is emitted).
 */
const SLACK = 1024 + 65_536;

/** A count of the bytes before sign-in. */
export interface ByteCount {
  /** Stops counting: the page has authenticated. */
  stop(): void;
  /** A whole message arrived (`ws` emitted it; it is checked on its own): the count starts again. */
  message(): void;
}

/**
 * Counts what an upgraded socket receives until its page authenticates, message by message. `ws` assembles a
 * message whole before the relay sees it, up to the server's `maxPayload` (16 MiB): a message sent
 * in fragments, or one large frame sent slowly, would be held whole until the authentication
 * deadline before the check of each frame could refuse it. Past `limit` bytes (and the slack),
 * `over` is told once (it closes the socket, 1009), the socket is no longer read, and it ends
 * once the close frame is written.
 *
 * @param raw The upgraded socket, read by `ws` through a `data` listener before this one.
 * @param limit The bytes of payload a page may send before it authenticates.
 * @param over Closes the socket (writes its close frame).
 * @returns The count: stopped once the page has authenticated, started again at each whole
 *   message, so that frames a page sends while `authorize` decides are held to the limit each, not
 *   all together.
 */
export function countBytesBeforeSignIn(raw: Duplex, limit: number, over: () => void): ByteCount {
  let bytes = 0;
  const count = (chunk: Buffer | string): void => {
    bytes += chunk.length;
    if (bytes <= limit + SLACK) return;
    stop();
    over();
    // Nothing more is read, and once the close frame is out the socket ends: a peer that keeps
    // sending would otherwise be read on for as long as `ws` waits for its answering close.
    raw.pause();
    raw.write(Buffer.alloc(0), () => raw.destroy());
  };
  const stop = (): void => void raw.off('data', count);
  raw.on('data', count);
  return {
    stop,
    message: () => void (bytes = 0),
  };
}
