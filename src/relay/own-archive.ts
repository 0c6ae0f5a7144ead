import { isRecord } from '../util/is-record.js';

/**
 * A `getTaskDetails` answer as its user may see it: of the archive's `request`, only the task of
 * the taskUUID looked up. Protocol §4.20 describes `request` as the original task array, the frame
 * the task came in, and the relay packs the tasks of several users into one upstream frame (while
 * it authenticates, in one turn, on a re-send): the others are theirs. Any other item, and a
 * `request` that is one task, go on as they came.
 *
 * @param item A data item of the task's reply.
 * @param taskUUID The task's taskUUID.
 * @returns The item, or a copy whose `request` lists the user's own task alone.
 */
export function ownArchive(item: unknown, taskUUID: string): unknown {
  if (!isRecord(item) || item['taskType'] !== 'getTaskDetails' || !Array.isArray(item['request'])) return item;
  const request = item['request'] as readonly unknown[];
  const own = request.filter((task) => isRecord(task) && task['taskUUID'] === taskUUID);
  return own.length === request.length ? item : { ...item, request: own };
}
