import type { OutboundTask } from '../protocol/frames.js';
import { parseExactJson } from '../protocol/exact-json.js';
import { canonicalJSON } from '../protocol/result-content.js';
import { encodeJson } from '../transport/codec.js';

/** A submission as the archive's answer to it is read, as every frame is: a number past 2^53 − 1 as a BigInt, other values as JSON gives them back. */
const asRead = (sent: OutboundTask): unknown => parseExactJson(encodeJson(sent));

/**
 * Whether the server's archive of a task (`getTaskDetails`' `request`: the task, or the frame it
 * came in) holds the submission this relay sent, exactly: the archived task of this taskUUID
 * has the same fields with the same values, none missing and none more. A page that sent a bare
 * task under another user's taskUUID (the server answers the conflict before it reads the
 * parameters) does not pass; an archive that keeps a task in another form fails closed.
 *
 * @param archived The archive's `request`.
 * @param sent The submission as the relay sent it.
 * @returns Whether the archived task of its taskUUID is that submission.
 */
export function holdsRequest(archived: unknown, sent: OutboundTask): boolean {
  const tasks: unknown[] = Array.isArray(archived) ? archived : [archived];
  const mine = tasks.find((task) => typeof task === 'object' && task !== null && (task as Record<string, unknown>)['taskUUID'] === sent.taskUUID);
  return mine !== undefined && canonicalJSON(mine) === canonicalJSON(asRead(sent));
}
