import { taskNotFound } from '../errors.js';
import type { Generation, TaskRecord } from '../task-store.js';
import type { DataItem, ErrorItem, OutboundFrame } from '../types.js';
import type { FailureShape } from '../options.js';
import { failedItem } from './failed-item.js';
import { defineHandler } from './task-handler.js';

/** Percent of the waiting time elapsed, as an integer; never 100 while still processing. */
export const progressOf = (generation: Generation, now: number): number => {
  const span = generation.readyAt - generation.startedAt;
  if (span <= 0) return 99;
  return Math.max(0, Math.min(99, Math.floor((100 * (now - generation.startedAt)) / span)));
};

/**
 * The cumulative state of every generation of a task, in generation order (stable across polls,
 * whatever order they finish in): `processing` items (with `progress` when `withProgress`),
 * `success` items repeated on every poll, and failed generations as top-level `errors` with
 * `status: "error"` (the docs' shape, protocol §5.5) or as `data` items with the error nested
 * (`failureShape: 'data'`). A generation fails when it would have
 * finished (`readyAt`), not earlier, like a provider timing out. Items carry the original task's
 * `taskType`, not `getResponse`.
 */
export const describeTask = (record: TaskRecord, now: number, withProgress: boolean, failureShape: FailureShape = 'errors'): OutboundFrame => {
  const data: DataItem[] = [];
  const errors: ErrorItem[] = [];
  for (const generation of record.generations) {
    const ready = now >= generation.readyAt;
    if (generation.failure !== undefined && ready) {
      const failed = failedItem(generation.failure, failureShape, record);
      if ('data' in failed) data.push(...failed.data);
      else errors.push(...failed.errors);
    }
    // A result with a status of its own (a model upload's `ready`) keeps it.
    else if (generation.result !== undefined && ready) data.push({ status: 'success', ...generation.result });
    else {
      const running = { taskType: record.taskType, taskUUID: record.taskUUID, status: 'processing' };
      if (record.running !== undefined) data.push({ ...running, ...record.running(generation, now) });
      else data.push(withProgress ? { ...running, progress: progressOf(generation, now) } : running);
    }
  }
  return { ...(data.length > 0 ? { data } : {}), ...(errors.length > 0 ? { errors } : {}) };
};

/** `getResponse`: answers in one frame for any task the server still remembers, from any session. */
export const getResponse = defineHandler({
  createsTask: false,
  parse: () => undefined,
  price: () => 0,
  run(_params, { env, taskUUID, push }) {
    const record = env.tasks.get(taskUUID);
    push(record === undefined ? { errors: [taskNotFound(taskUUID)] } : describeTask(record, env.now(), env.options.progress, env.options.failureShape));
  },
});
