import { isRecord } from '../util/is-record.js';

/** Whether an archived item is of the task looked up. */
const ofTask = (item: unknown, taskUUID: string): boolean => isRecord(item) && item['taskUUID'] === taskUUID;

/** The items of a list that are of the task; anything but a list is none. */
const own = (items: unknown, taskUUID: string): unknown[] => (Array.isArray(items) ? items.filter((item) => ofTask(item, taskUUID)) : []);

/** Whether a data item is a `getTaskDetails` answer, the one kind of item {@link ownArchive} narrows. */
export const isLookUpAnswer = (item: unknown): item is Readonly<Record<string, unknown>> => isRecord(item) && item['taskType'] === 'getTaskDetails';

/**
 * A `getTaskDetails` answer as its user may see it: of the archive, only what is of the taskUUID
 * looked up. Protocol §4.20 describes `request` as the original task array, the frame the task came
 * in, and the relay packs the tasks of several users into one upstream frame (while it
 * authenticates, in one turn, on a re-send); an archive that keeps the frame may keep what answered
 * it too. So `request` keeps the user's own task (a lone task object stays if it is that task), and
 * `response` the items of the task in its `data` and `errors`. What is in no form the relay knows
 * is left out, not passed on. Any other item goes on as it came.
 *
 * @param item A data item of the task's reply.
 * @param taskUUID The task's taskUUID.
 * @returns The item, or a copy narrowed to the user's own task.
 */
export function ownArchive(item: unknown, taskUUID: string): unknown {
  if (!isLookUpAnswer(item)) return item;
  const { request, response, ...rest } = item;
  const narrowed: Record<string, unknown> = { ...rest };
  if (request !== undefined) narrowed['request'] = Array.isArray(request) ? own(request, taskUUID) : ofTask(request, taskUUID) ? request : [];
  if (response !== undefined) {
    const { data, errors, ...about } = isRecord(response) ? response : {};
    // What the answer says besides its items (a status) is of the task; its items are each one's.
    narrowed['response'] = { ...about, ...(data === undefined ? {} : { data: own(data, taskUUID) }), ...(errors === undefined ? {} : { errors: own(errors, taskUUID) }) };
  }
  return narrowed;
}
