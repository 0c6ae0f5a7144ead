import type { ReplyReading } from './read-reply.js';

/**
 * Whether a poll answer says the task is over: every item the task asked for is in it (finished
 * or failed), or one failed and the task is not settled item by item. A poll answer is the task's
 * whole state, so this is read from it alone; what is pushed may repeat itself and is not.
 *
 * @param reading The poll answer.
 * @param asked How many items the task polled asked for (a re-run asks only for the missing ones).
 * @param settled Whether each item's outcome is reported.
 * @returns `true` when nothing more is to come.
 */
export function pollAnswerDone(reading: ReplyReading, asked: number, settled: boolean): boolean {
  return reading.successes + reading.failures >= asked || (!settled && reading.failures > 0);
}
