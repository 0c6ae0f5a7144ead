import type { PollDelayOptions } from '../operators/poll-delay.js';
import { pollDelay } from '../operators/poll-delay.js';
import { estimatedProgress } from './estimated-progress.js';
import type { FirstTaskSchedule } from './first-task-schedule.js';
import { firstTaskSchedule, firstTaskWait } from './first-task-schedule.js';
import type { ReadyMemoryBounds } from './ready-memory.js';
import { createReadyMemory } from './ready-memory.js';
import type { Bracket, ReadyWindow } from './ready-window.js';
import { readyWindow } from './ready-window.js';
import { windowWait } from './window-schedule.js';

/** A polled task as the planner sees it. */
export interface PlannedTask {
  /** What its finished tasks are remembered under (`readyKey`), or `undefined` to neither learn nor recall (an attached task). */
  readonly key: string | undefined;
  /** The caller's `expectedDuration`, in ms, if any. */
  readonly hint: number | undefined;
}

/**
 * When to poll a client's tasks. The engine asks it what it expects of a task when the task is
 * accepted, when each next poll is due, and tells it when a task was found done; every rule of
 * the schedule lives in the pure functions it combines:
 *
 * - the server reports progress: the projection of `pollDelay` (aimed at the projected finish,
 *   a whole percent read by `readPercent`);
 * - the client had seen tasks of this kind finish when the task was accepted (or the caller gave
 *   `expectedDuration`): sparse polls until the window they were ready in, dense across it, then
 *   the first-task schedule (`windowWait`, `readyWindow`);
 * - otherwise: the first-task schedule (`firstTaskWait`).
 *
 * A task keeps what was expected of it when it was accepted: tasks submitted together keep
 * sharing their rounds of polls while others finish, and what those teach serves the next ones.
 */
export interface PollPlanner {
  /** What to expect of a task being accepted: the window it should be ready in, if anything is known of its kind. */
  expect(task: PlannedTask): ReadyWindow | undefined;
  /**
   * The wait before a task's next poll, in ms from when the poll it follows was due (or from
   * the acknowledgement).
   *
   * @param expected What was expected of the task when it was accepted.
   * @param elapsed How long it had been running when the poll it follows was due (0 at the acknowledgement).
   * @param attempt The number of the poll to plan, from 1.
   * @param progress The percent done the answer reported, if the server reported it.
   */
  next(expected: ReadyWindow | undefined, elapsed: number, attempt: number, progress: number | undefined): number;
  /** Remembers when a task of `key` was found done, for its successors. */
  learn(key: string, bracket: Bracket): void;
  /** The estimated percent done of a task that has run `elapsed` ms, when something was expected of it. */
  estimate(expected: ReadyWindow | undefined, elapsed: number): number | undefined;
}

/**
 * Whether a reported progress says how far the task is, and is projected: between 0 (queued, not
 * begun) and 100.
 *
 * @param progress The percent the server reported, if any.
 * @returns `true` for a progress the next poll is aimed by.
 */
export const isProjected = (progress: number | undefined): progress is number => progress !== undefined && progress > 0 && progress < 100;

/**
 * The percent to project from. A whole percent `p` after `elapsed` ms, from a server that
 * truncates (the simulator does; the API's rounding is unconfirmed), puts the finish between
 * `100·elapsed/(p+1)` and `100·elapsed/p`. Where that span is short (a 2 s video at 50 %: 39 ms),
 * the poll goes at its end, which finds the task done at a cost of at most `min` ms over its
 * middle. Where it is long (30 s at 99 %: 293 ms), at its middle: half the time one poll more,
 * but the task is seen on average a quarter of the span sooner. A fraction is taken as it is.
 */
export const readPercent = (progress: number, elapsed: number, min: number): number => {
  if (!Number.isInteger(progress)) return progress;
  const span = (100 * elapsed) / (progress * (progress + 1));
  return span > 2 * min ? progress + 0.5 : progress;
};

/** What a planner is made of. */
export interface PollPlannerOptions {
  /** The wait before the first poll of a task of an unknown kind (`pollInterval`), in ms. */
  readonly pollInterval: number;
  /** The schedule a server's progress shortens. */
  readonly projection: PollDelayOptions;
  /** How much it remembers. */
  readonly memory: ReadyMemoryBounds;
}

/**
 * Creates a client's poll planner, with an empty memory.
 *
 * @param options Its first poll, the projection's schedule and its memory's bounds.
 * @returns The planner.
 */
export function createPollPlanner(options: PollPlannerOptions): PollPlanner {
  const schedule: FirstTaskSchedule = firstTaskSchedule(options.pollInterval);
  const project = pollDelay(options.projection);
  const memory = createReadyMemory(options.memory);
  return {
    expect({ key, hint }) {
      const brackets = key === undefined ? undefined : memory.recall(key);
      if (brackets !== undefined && brackets.length > 0) return readyWindow(brackets);
      return hint === undefined ? undefined : readyWindow([{ after: hint, by: hint }]);
    },
    next(expected, elapsed, attempt, progress) {
      if (isProjected(progress)) return project(attempt, { progress: readPercent(progress, elapsed, options.projection.min), elapsed });
      return expected === undefined ? firstTaskWait(schedule, elapsed, attempt) : windowWait(schedule, expected, elapsed, attempt);
    },
    learn: (key, bracket) => memory.remember(key, bracket),
    estimate: (expected, elapsed) => (expected === undefined ? undefined : estimatedProgress(elapsed, expected.typical)),
  };
}
