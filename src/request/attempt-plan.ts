import type { OutboundTask } from '../protocol/frames.js';
import type { ReadContext, ReplyReading } from './read-reply.js';

/** One task as it goes on the wire, and how to read its replies. */
export interface AttemptPlan {
  readonly task: OutboundTask & { readonly taskUUID: string; readonly taskType: string };
  /**
   * `sync`: the server pushes results. `async`: it acknowledges, then results are polled.
   * `poll`: the task was submitted earlier (by another process, before a reload): only poll it.
   */
  readonly mode: 'sync' | 'async' | 'poll';
  /** How replies are read: the taskUUID, the expected item count and the result identity. */
  readonly read: ReadContext;
  /** Whether failed items are reported beside the results instead of failing the task. */
  readonly settled: boolean;
}

/**
 * Tells whether a reading settles the task: every expected item succeeded or failed, or, unless
 * the task is settled item by item, one failed.
 *
 * @param reading A reply's reading.
 * @param plan The task.
 * @returns `true` when nothing more is to come.
 */
export function isDone(reading: ReplyReading, plan: AttemptPlan): boolean {
  return reading.successes + reading.failures >= plan.read.expected || (!plan.settled && reading.failures > 0);
}
