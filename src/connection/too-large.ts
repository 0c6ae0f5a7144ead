import { RunwareError } from '../errors/runware-error.js';
import type { Outbox } from './outbox.js';

/** WebSocket's close code for a message too big for the peer to take. */
const MESSAGE_TOO_BIG = 1009;

/**
 * Frames are split no finer than this many characters by halving: a server that refuses frames
 * this small too gets every task alone (a frame limit of 0).
 */
const MIN_FRAME_LENGTH = 1024;

/**
 * The frame limit after a frame of several tasks was refused as too large: halved in characters,
 * from the smaller of the limit and the frame refused (a limit taken from its bytes, up to three a
 * character, need not make the next frames any smaller), never below {@link MIN_FRAME_LENGTH};
 * below that, 0 (every task alone).
 *
 * @param limit The frame limit in characters (0: every task alone).
 * @param refusedChars The length in characters of the frame refused.
 * @returns The new limit.
 */
export function halvedFrameLimit(limit: number, refusedChars: number): number {
  return limit > MIN_FRAME_LENGTH ? Math.max(MIN_FRAME_LENGTH, Math.floor(Math.min(limit, refusedChars) / 2)) : 0;
}

/**
 * After a socket was lost: if the peer closed it as too big (1009), fails the task the outbox
 * takes for the one refused (alone in the largest frame of that socket), so that it is never
 * written again; re-sent as it is, it would close every socket it is written to. The other tasks
 * are re-sent as usual. A 1009 after which the next frames differ uses up no reconnect attempt.
 *
 * @param outbox What was written on the socket (none before the first task).
 * @param loss Why the socket was lost.
 * @returns Whether the next socket will differ: a task was failed, or frames are split finer.
 */
export function failIfTooLarge(outbox: Outbox | undefined, loss: RunwareError): boolean {
  if (outbox === undefined || loss.code !== 'connection' || loss.details?.['closeCode'] !== MESSAGE_TOO_BIG) return false;
  const limit = outbox.frameLimit();
  const refused = outbox.refusedAsTooLarge();
  if (refused === undefined) return outbox.frameLimit() < limit;
  const error = new RunwareError({
    code: 'validation',
    message: `The server closed the connection (1009, message too big) after a frame of ${refused.length} bytes that held this task alone: the task is larger than the server takes, and was not read. Send large inputs by URL or upload them first (uploadThreshold).`,
    retryable: false,
  });
  for (const listener of [...refused.route.listeners]) listener.fail(error);
  return true;
}
