import { classifyServerCode, isTurnedAway } from '../errors/classify-server-code.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import { isFailedStatus } from '../protocol/item-status.js';
import { countOccurrence, resultContent } from '../protocol/result-content.js';
import { sameTaskType } from './task-rules.js';
import { outputUUIDsOf } from './uuid-scan.js';

/** Item statuses that end one result item with its result (`ready` is a model upload's last phase). */
const FINAL = new Set(['success', 'completed', 'ready']);
/** Fields every item may carry without being a result: an acknowledgement has only these. */
const ENVELOPE = new Set(['taskType', 'taskUUID', 'status', 'progress', 'cost', 'deliveryMethod']);
/** Error categories that fail one item of a task of several, not the task. */
const ITEM_LEVEL = new Set(['provider', 'safety', 'timeout']);

/** What one reply says about how far a task has got, as far as a relay needs to know. */
export interface ReplySummary {
  /** Keys of the result items this reply finished with a result. */
  readonly finished: readonly string[];
  /** Those items, in the same order. */
  readonly results: readonly DataItem[];
  /** The items of this reply that report one result item failed (in `data` or in `errors`). */
  readonly failed: readonly Readonly<Record<string, unknown>>[];
  /** The task as a whole failed (or was refused): nothing more will come for this attempt. */
  readonly taskFailed: boolean;
}

/** Whether an error turns a poll away for a while (a rate limit, a server error): the task runs on. */
export function isTransientPollError(item: ErrorItem): boolean {
  return item.taskType === 'getResponse' && isTurnedAway(classifyServerCode(item.code));
}

/**
 * Reads a reply for the relay's bookkeeping: when a task has all its items it is over, and its
 * in-flight slot and upstream route are released. It reads what any task's reply looks like,
 * not each task type's own result fields (that is the client's business): an item is finished
 * when its `status` says so, or when it has no status and carries more than an
 * acknowledgement's fields. An item without an output UUID (a caption's text) is known by what
 * it says, and identical ones by how many came before them in the reply, so a frame the server
 * writes twice counts no result twice. Failed items are listed, for the task to tell a repeated
 * one from a new one (see TaskProgress). Items of another task type with the same taskUUID (a
 * `getTaskDetails` answer) say nothing about the task; `conflictTaskUUID` means the server
 * already has it, so the client will poll it; a poll turned away for a while (a rate limit, a
 * server error) says nothing of the task either.
 *
 * @param reply The items a frame carried for the task.
 * @param taskType The task's type.
 * @param expected How many items the task produces.
 * @returns The summary.
 */
export function summarise(reply: { readonly data: readonly DataItem[]; readonly errors: readonly ErrorItem[] }, taskType: string, expected: number): ReplySummary {
  const finished: string[] = [];
  const results: DataItem[] = [];
  const failed: Readonly<Record<string, unknown>>[] = [];
  let taskFailed = false;
  let sayings: Map<string, number> | undefined;
  const wordsKey = (item: DataItem): string => {
    const words = resultContent(item);
    return `#${countOccurrence((sayings ??= new Map<string, number>()), words)}:${words}`;
  };
  for (const item of reply.data) {
    if (!sameTaskType(item.taskType, taskType)) continue;
    const { status } = item;
    if (isFailedStatus(status)) {
      failed.push(item);
      continue;
    }
    const done = status === undefined ? Object.keys(item).some((key) => !ENVELOPE.has(key)) : FINAL.has(status);
    if (!done) continue;
    finished.push(outputUUIDsOf(item)[0] ?? wordsKey(item));
    results.push(item);
  }
  for (const item of reply.errors) {
    // An error of a poll (`taskNotFound`) names `getResponse`; one of a `getTaskDetails` is about that look-up.
    if (item.taskType !== undefined && !sameTaskType(item.taskType, taskType) && item.taskType !== 'getResponse') continue;
    if (item.code === 'conflictTaskUUID' || isTransientPollError(item)) continue;
    const category = classifyServerCode(item.code);
    if (item.status === 'error' || (expected > 1 && ITEM_LEVEL.has(category))) failed.push(item);
    else taskFailed = true;
  }
  return { finished, results, failed, taskFailed };
}

/** Kinds of refusal after which the server has run nothing of a task (nor will): it turned the task away at the door. */
const UNTAKEN = new Set(['validation', 'notFound', 'auth', 'quota', 'rateLimit']);

/**
 * Whether a task's first reply refuses it outright, so that the server ran nothing (a parameter
 * it rejects, a model it does not know, no credits): no result, and every error of a kind that
 * says so (a conflict aside: the server has the task).
 *
 * @param summary The reply's summary.
 * @param errors The reply's error items.
 * @returns `true` when the task was turned away before it ran.
 */
export function refusedUntaken(summary: ReplySummary, errors: readonly ErrorItem[]): boolean {
  if (!summary.taskFailed || summary.results.length > 0 || errors.length === 0) return false;
  return errors.every((item) => item.code !== 'conflictTaskUUID' && UNTAKEN.has(classifyServerCode(item.code)));
}
