import { isUUIDv4 } from '../protocol/task-uuid.js';
import { isRecord } from '../util/is-record.js';
import type { RelayErrorItem } from './refusals.js';
import { refOf, tooManyTasks } from './refusals.js';

/** Tasks a refused crowded frame has named in its answer at most: more than runware-rx puts in a frame. */
const MAX_NAMED_REFUSALS = 20_000;
/** The longest taskType echoed in such an answer (the API's are a few words). */
const MAX_ECHOED_TASK_TYPE = 64;

/**
 * The answer to a frame of too many tasks: one refusal for each task it can name, since a
 * refusal that names no task fails no request (a client would wait for its answer deadline).
 * Only UUID v4 taskUUIDs and short taskTypes are echoed, and at most as many as a runware-rx
 * frame ever carries, so that the answer stays about as large as the frame, never larger.
 *
 * @param tasks The frame's tasks, as parsed.
 * @param limit The most tasks a frame may carry.
 * @returns The errors to answer with.
 */
export function crowdedRefusals(tasks: readonly unknown[], limit: number): RelayErrorItem[] {
  const named: RelayErrorItem[] = [];
  for (const task of tasks) {
    if (named.length >= MAX_NAMED_REFUSALS) break;
    if (!isRecord(task)) continue;
    const { taskUUID, taskType } = refOf(task);
    if (taskUUID === undefined || !isUUIDv4(taskUUID)) continue;
    named.push(tooManyTasks(limit, { taskType: taskType.length <= MAX_ECHOED_TASK_TYPE ? taskType : '', taskUUID }));
  }
  return named.length > 0 ? named : [tooManyTasks(limit)];
}
