import { classifyServerCode } from '../errors/classify-server-code.js';
import { fromErrorItem } from '../errors/from-error-item.js';
import { failureWords } from '../errors/failure-words.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { AttemptEvent } from '../events/task-event.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import { isCancelledStatus, isFailedStatus, isRunningStatus } from '../protocol/item-status.js';
import { countOccurrence, resultContent } from '../protocol/result-content.js';
import type { ResultReader } from '../tasks/define-task.js';

/** What a reply for one task says, read in the context of that task. */
export interface ReplyReading {
  readonly events: readonly AttemptEvent[];
  /** The server already has this taskUUID (`conflictTaskUUID`): poll it instead. */
  readonly conflict: boolean;
  /** An error for the task as a whole (as opposed to one failed item). */
  readonly taskError: RunwareError | undefined;
  /** Finished items in this reply (poll answers repeat earlier ones). */
  readonly successes: number;
  /** Failed items in this reply. */
  readonly failures: number;
  /** Items this reply reports still running (a poll answer lists every one). */
  readonly running: number;
  /** Mean progress of the items still running, when the server reports it. */
  readonly progress: number | undefined;
}

/** The task a reply is read for. */
export interface ReadContext {
  readonly taskUUID: string;
  readonly taskType: string;
  /** How many items the task produces; item-level failures only exist when it is above 1, or `settled`. */
  readonly expected: number;
  /**
   * Whether each item's outcome is reported (`settled`): then a failed generation is a failed
   * item even in a task of one, pushed as it is polled.
   */
  readonly settled?: boolean | undefined;
  /** How the task's results are recognised. */
  readonly reader: ResultReader<unknown, unknown>;
  /** The poll that brought the reply, from 1; absent for pushed replies. */
  readonly poll?: number | undefined;
  /**
   * The reply is the task's whole state, like a poll answer, though no poll of its own waits for
   * it (a copy answering a poll sent again): its items are told apart as a poll answer's, and it
   * reports no status of its own.
   */
  readonly cumulative?: boolean | undefined;
  /** runware-rx's estimate of the percent done, for a running task whose server reports none. */
  readonly estimate?: number | undefined;
}

const SUCCEEDED = new Set(['success', 'completed']);
const ITEM_LEVEL = new Set(['provider', 'safety', 'timeout']);

/**
 * Reads one reply: result items (recognised by the task's reader), intermediate items of a
 * streamed task, failed items (`status: "error"` in `data` with a nested `error`, or in
 * `errors`, both shapes the API uses), statuses of items still running, a conflict on the
 * taskUUID, and errors for the whole task. Pure: the same reply always reads the same.
 *
 * @param reply The items a frame carried for this task.
 * @param context The task.
 * @returns What the reply means.
 */
export function readReply(reply: { readonly data: readonly DataItem[]; readonly errors: readonly ErrorItem[] }, context: ReadContext): ReplyReading {
  return readItems(reply.data, reply.errors, context);
}

/**
 * {@link readReply} over the reply's two lists as they came, for the engine (no object around them).
 *
 * @param data The reply's data items for the task.
 * @param errors Its error items for the task.
 * @param context The task.
 * @returns What the reply means.
 */
export function readItems(data: readonly DataItem[], errors: readonly ErrorItem[], context: ReadContext): ReplyReading {
  // Runs for every reply of every task: no closures, no arrays beyond the events.
  const { reader, poll } = context;
  const cumulative = poll !== undefined || context.cumulative === true;
  const events: AttemptEvent[] = [];
  let successes = 0;
  let failures = 0;
  let running = 0;
  let progressSum = 0;
  let progressCount = 0;
  // In a cumulative answer: results without an identity and failures, counted by what they say, and
  // the identities of the results read so far.
  let sayings: Map<string, number> | undefined;
  let listed: Set<string> | undefined;
  for (let index = 0; index < data.length; index += 1) {
    const item = data[index]!;
    const { status } = item;
    if (isFailedStatus(status)) {
      events.push(failedEvent(nestedError(item, context), cumulative ? (sayings ??= new Map<string, number>()) : undefined));
      failures += 1;
      continue;
    }
    if (reader.isPartial?.(item) === true) {
      events.push({ type: 'partial', item });
      // A named phase of a streamed task (downloading, validating) is an item still running.
      if (status === undefined) continue;
    } else if ((status !== undefined && SUCCEEDED.has(status)) || (!isRunningStatus(status) && reader.isResult(item))) {
      const key = cumulative ? reader.key?.(item) : undefined;
      // One output listed twice in a cumulative answer is one result, so a task of two is not taken as done with one.
      if (key !== undefined) {
        if ((listed ??= new Set<string>()).has(key)) continue;
        listed.add(key);
      }
      // A result without an identity, in a cumulative answer, is told apart from the results that say
      // the same by how many of them come before it there.
      events.push(
        !cumulative || key !== undefined ? { type: 'item', item } : { type: 'item', item, position: countOccurrence((sayings ??= new Map<string, number>()), resultContent(item)) },
      );
      successes += 1;
      continue;
    }
    if (status !== undefined) {
      running += 1;
      const progress = item['progress'];
      if (typeof progress === 'number') {
        progressSum += progress;
        progressCount += 1;
      }
    }
  }
  let conflict = false;
  let taskError: RunwareError | undefined;
  for (let index = 0; index < errors.length; index += 1) {
    const item = errors[index]!;
    if (item.code === 'conflictTaskUUID') conflict = true;
    else if (item.status === 'error' || ((context.expected > 1 || context.settled === true) && ITEM_LEVEL.has(classifyServerCode(item.code)))) {
      events.push(failedEvent(fromErrorItem(item, { ...context, sent: true }), cumulative ? (sayings ??= new Map<string, number>()) : undefined));
      failures += 1;
    } else taskError ??= fromErrorItem(item, context);
  }
  const meanProgress = progressCount === 0 ? undefined : progressSum / progressCount;
  const status = running > 0 ? 'processing' : failures > 0 ? 'error' : successes > 0 ? 'success' : undefined;
  if (poll !== undefined && status !== undefined) {
    // Every poll answer is reported, so a caller sees each round trip, not only changes. The
    // server's progress, when it gives one, is never mixed with an estimate.
    const { estimate } = context;
    events.unshift(
      meanProgress !== undefined
        ? { type: 'status', status, progress: meanProgress, poll }
        : estimate !== undefined && status === 'processing'
          ? { type: 'status', status, estimatedProgress: estimate, poll }
          : { type: 'status', status, poll },
    );
  }
  return { events, conflict, taskError, successes, failures, running, progress: meanProgress };
}

/**
 * A failed item; in a poll answer (`sayings` given), with how many failures saying the same came
 * before it there, since answers repeat failures.
 */
function failedEvent(error: RunwareError, sayings: Map<string, number> | undefined): AttemptEvent {
  return sayings === undefined ? { type: 'itemFailed', error } : { type: 'itemFailed', error, position: countOccurrence(sayings, failureWords(error)) };
}

function nestedError(item: DataItem, context: ReadContext): RunwareError {
  const nested = item['error'];
  const source = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : item;
  const cancelled = isCancelledStatus(item.status);
  const code = typeof source['code'] === 'string' ? source['code'] : cancelled ? 'taskCancelled' : 'taskFailed';
  const message = typeof source['message'] === 'string' ? source['message'] : `A ${context.taskType} item ${cancelled ? 'was cancelled at the server' : 'failed'}.`;
  return fromErrorItem({ ...source, code, message, taskUUID: context.taskUUID }, { ...context, sent: true });
}
