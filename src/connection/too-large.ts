import { RunwareError } from '../errors/runware-error.js';
import type { Outbox } from './outbox.js';

/** WebSocket's close code for a message too big for the peer to take. */
const MESSAGE_TOO_BIG = 1009;

/**
 * After a socket was lost: if the peer closed it as too big (1009), fails the task the outbox
 * takes for the one refused (alone in the largest frame of that socket), so that it is never
 * written again; re-sent as it is, it would close every socket it is written to. The other tasks
 * are re-sent as usual.
 *
 * @param outbox What was written on the socket.
 * @param loss Why the socket was lost.
 * @returns Whether the next socket will differ: a task was failed, or frames are split finer.
 */
export function failIfTooLarge(outbox: Outbox, loss: RunwareError): boolean {
  if (loss.code !== 'connection' || loss.details?.['closeCode'] !== MESSAGE_TOO_BIG) return false;
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
