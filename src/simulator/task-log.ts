import { compactValue, type CompactLimits } from './compact.js';
import type { TaskObject } from './types.js';

/** Bounds of the received-task log. */
export interface TaskLogLimits {
  /** At most this many tasks are kept. */
  readonly maxTasks: number;
  /** At most this many (estimated) bytes are kept; the oldest tasks go first. */
  readonly maxBytes: number;
  /** A task whose share of its frame is at most this many bytes is kept whole, by reference. */
  readonly wholeTaskBytes: number;
  /** How a larger task is cut down (its copy costs at most `bytes`). */
  readonly compact: CompactLimits;
}

/** The simulator's limits: 10 000 tasks, 32 MiB, tasks up to 16 KiB whole, larger ones cut to at most 64 KiB. */
export const TASK_LOG_LIMITS: TaskLogLimits = {
  maxTasks: 10_000,
  maxBytes: 32 * 1024 * 1024,
  wholeTaskBytes: 16 * 1024,
  compact: { string: 256, items: 64, keys: 256, depth: 12, bytes: 64 * 1024 },
};

/** What replaces the `apiKey` of an authentication task in the log. */
export const REDACTED = '[redacted]';

/** The recent task objects received, bounded by count and by bytes. */
export interface TaskLog {
  /**
   * Records a task.
   *
   * @param task The task as parsed.
   * @param shareBytes Its share of the frame's length (the frame's length over its task count): an
   *   estimate that costs nothing, since the frame is already measured.
   */
  record(task: TaskObject, shareBytes: number): void;
  /** The tasks kept, oldest first. */
  entries(): TaskObject[];
}

/**
 * A FIFO of tasks with a byte budget. Small tasks (nearly all of them) are kept by reference at the
 * cost of their share of the frame, so recording costs no copy and no walk; only a task whose share
 * is large is walked once, into a bounded copy whose long strings, arrays and objects are cut (see
 * `compact.ts`). Authentication tasks are kept as a copy whose `apiKey` is {@link REDACTED}, so the
 * inspection API never hands out a key.
 *
 * @param limits The bounds; default {@link TASK_LOG_LIMITS}.
 * @returns The log.
 */
export const createTaskLog = (limits: TaskLogLimits = TASK_LOG_LIMITS): TaskLog => {
  const tasks: TaskObject[] = [];
  const costs: number[] = [];
  let head = 0;
  let bytes = 0;

  const dropOldest = () => {
    bytes -= costs[head]!;
    tasks[head] = undefined as unknown as TaskObject;
    head++;
    // Reclaim the dropped front now and then, so the arrays do not grow without bound.
    if (head >= 1024 && head * 2 >= tasks.length) {
      tasks.splice(0, head);
      costs.splice(0, head);
      head = 0;
    }
  };

  return {
    record(task, shareBytes) {
      let kept = task;
      let cost = shareBytes;
      if (shareBytes > limits.wholeTaskBytes) {
        const copy = compactValue(task, limits.compact);
        kept = copy.value as TaskObject;
        cost = copy.bytes;
      }
      if (kept['taskType'] === 'authentication' && 'apiKey' in kept) kept = { ...kept, apiKey: REDACTED };
      tasks.push(kept);
      costs.push(cost);
      bytes += cost;
      while (tasks.length - head > limits.maxTasks || (bytes > limits.maxBytes && tasks.length - head > 1)) dropOldest();
    },
    entries: () => tasks.slice(head),
  };
};
