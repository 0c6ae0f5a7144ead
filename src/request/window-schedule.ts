/**
 * How a task is polled when the client expects it ready in a window: sparsely before the window
 * (so that a task much faster than expected is still seen within its own elapsed time), densely
 * across it, and, once the window has passed without the task being done, like a task of an
 * unknown model (it is slower than expected: the first-task schedule, from where it stands).
 * Pure arithmetic over plain numbers.
 */
import type { FirstTaskSchedule } from './first-task-schedule.js';
import { firstTaskWait } from './first-task-schedule.js';
import type { ReadyWindow } from './ready-window.js';

/**
 * The wait before the next poll of a task expected ready in `window`.
 *
 * - Before the window: at halvings of its start (start/2, start/4, … down to `pollInterval`),
 *   so a task ready far earlier than expected waits at most about its own age again.
 * - Across the window: every `step` from the window's start (the first one a step into it: the
 *   task is hardly ever ready at the very start), up to the first poll at or past its end.
 * - Once an answer past the window's end says the task still runs: the first-task schedule.
 *
 * A poll is never planned less than half a step after the time it counts from, so an early poll
 * (one that joined a round of others) is not followed at once by another.
 *
 * @param schedule The first-task schedule (its `first` is `pollInterval`).
 * @param window The window.
 * @param elapsed When the last poll was due (0 at the acknowledgement), in ms from the acknowledgement.
 * @param attempt The number of the poll to plan, from 1.
 * @returns The wait from that time, in ms.
 *
 * @example
 * ```ts
 * const window = { start: 27_000, end: 33_000, step: 250, typical: 30_000 };
 * windowWait(firstTaskSchedule(1000), window, 0, 1); // 1 687.5: start/16, the first sparse poll
 * windowWait(firstTaskSchedule(1000), window, 13_500, 5); // 13 750: the window's first poll, at 27 250
 * ```
 */
export function windowWait(schedule: FirstTaskSchedule, window: ReadyWindow, elapsed: number, attempt: number): number {
  const { start, end, step } = window;
  if (elapsed >= end) return firstTaskWait(schedule, elapsed, Math.max(attempt, 2));
  const soonest = elapsed + step / 2;
  const dense = start + step * Math.max(1, Math.ceil((soonest - start) / step));
  if (soonest >= start) return Math.max(step / 2, dense - elapsed);
  // The halvings of the start that are still ahead, down to the first poll's own wait.
  let sparse = start / 2;
  while (sparse / 2 >= schedule.first && sparse / 2 > soonest) sparse /= 2;
  return (sparse > soonest && sparse >= schedule.first ? sparse : dense) - elapsed;
}
