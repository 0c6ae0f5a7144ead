import type { DataItem, ErrorItem, Seed, TaskObject } from './types.js';

/** One of the `numberResults` outputs of a task. */
export interface Generation {
  readonly seed: Seed;
  readonly startedAt: number;
  /** When the result may be reported (submission + configured latency). */
  readonly readyAt: number;
  /** The success item (without `status`), once produced. */
  result?: DataItem;
  /** Set instead of `result` when producing it failed. */
  failure?: ErrorItem;
}

/** What the server remembers of an accepted task: enough for conflict checks, `getResponse` and `getTaskDetails`. */
export interface TaskRecord {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly createdAt: number;
  readonly generations: readonly Generation[];
  /** The task as received, or a bounded copy of a large one (`getTaskDetails` answers it). */
  readonly request: TaskObject;
  /** What the task costs in USD, charged to the account whether or not `includeCost` asked to see it. */
  readonly cost: number;
  /**
   * What a `processing` item of this task says besides its status, when the task reports more
   * than the default progress (a training's progress and phase, reported whatever the profile).
   */
  readonly running?: (generation: Generation, now: number) => Readonly<Record<string, unknown>>;
}

/** Options of {@link createTaskStore}. */
export interface TaskStoreOptions {
  /** How long after submission a task stays known. */
  readonly retentionMs: number;
  /** Hard cap on remembered tasks; the oldest are forgotten first. */
  readonly maxRecords: number;
  readonly now: () => number;
  /** Told of each task added (the simulator's `tasksStarted` counter). */
  readonly onAdd?: (record: TaskRecord) => void;
}

/** Accepted tasks by taskUUID. */
export interface TaskStore {
  get(taskUUID: string): TaskRecord | undefined;
  has(taskUUID: string): boolean;
  add(record: TaskRecord): void;
  /** The records still remembered, oldest first (for the account's usage). */
  records(): IterableIterator<TaskRecord>;
  readonly size: number;
}

/**
 * Records kept in a `Map` in submission order. Every record lives for the same `retentionMs`, so
 * the oldest are always at the front and expiry is a sweep from the front on each insert:
 * amortised O(1), no timers, memory bounded by `maxRecords`.
 */
export const createTaskStore = ({ retentionMs, maxRecords, now, onAdd }: TaskStoreOptions): TaskStore => {
  const records = new Map<string, TaskRecord>();
  const expired = (record: TaskRecord, at: number) => at - record.createdAt > retentionMs;

  const sweep = () => {
    const at = now();
    for (const [taskUUID, record] of records) {
      if (records.size <= maxRecords && !expired(record, at)) break;
      records.delete(taskUUID);
    }
  };

  const get = (taskUUID: string) => {
    const record = records.get(taskUUID);
    if (record === undefined || !expired(record, now())) return record;
    records.delete(taskUUID);
    return undefined;
  };

  return {
    get,
    has: (taskUUID) => get(taskUUID) !== undefined,
    add(record) {
      onAdd?.(record);
      records.set(record.taskUUID, record);
      sweep();
    },
    records() {
      sweep();
      return records.values();
    },
    get size() {
      return records.size;
    },
  };
};
