import type { PollPlanner } from './poll-planner.js';
import { isProjected } from './poll-planner.js';
import type { ReadyWindow } from './ready-window.js';

/** Rounds a late poll answer may skip before the next poll is simply due at once (after a stall of minutes). */
const MAX_SKIPPED_ROUNDS = 1000;

/** What the time of a task's next poll is worked out from. */
export interface PollStep {
  /** What was expected of the task when it was accepted. */
  readonly expected: ReadyWindow | undefined;
  /** When the task was accepted (scheduler time). */
  readonly acceptedAt: number;
  /** The number of the poll to plan, from 1. */
  readonly attempt: number;
  /** When the answer came (scheduler time). */
  readonly answeredAt: number;
  /** When the poll it answers was due (scheduler time); `undefined` for the acknowledgement. */
  readonly pollDueAt: number | undefined;
  /** When that poll was written (scheduler time): later than due when the link was down or the event loop stalled. */
  readonly pollSentAt: number | undefined;
  /** The percent done the answer reported, if the server reported it. */
  readonly progress: number | undefined;
}

/**
 * When a polled task's next poll is due, in scheduler time.
 *
 * After a poll, the wait counts from when that poll was due (its round's time), not from when
 * its answer came: the schedule keeps its times whatever the round trips and the timers' delays
 * (a remote server's 100 ms would otherwise stretch every wait by as much), and every task polled
 * in one round stays in step, however their answers are framed. After the acknowledgement, it
 * counts from its arrival: tasks acknowledged in one frame are due at the same moment, and polled
 * in the same frame.
 *
 * An answer that came after the next poll was due has missed that poll's round: the task joins
 * the round after, in step with the tasks answered in time, instead of being polled at once in a
 * frame of its own; a server slower than the wait is thus polled at the times of its schedule,
 * one in two (or fewer). A poll aimed at the finish the server's progress projects is not put
 * off: if that time has passed, the task is polled at once. That projection counts from when the
 * poll was written, the moment the progress was measured: a poll written late (after the link
 * came back, or a stall of the event loop) reports more progress than its due time would make of
 * it, and would project a finish already past.
 *
 * @param planner The client's poll planner.
 * @param step The task and the answer it follows.
 * @returns The time the next poll is due.
 */
export function nextPollAt(planner: PollPlanner, step: PollStep): number {
  const { expected, acceptedAt, attempt, answeredAt, pollDueAt, progress } = step;
  if (pollDueAt === undefined) return answeredAt + planner.next(expected, 0, attempt, undefined);
  if (isProjected(progress)) {
    const measuredAt = Math.max(pollDueAt, step.pollSentAt ?? pollDueAt);
    return measuredAt + planner.next(expected, measuredAt - acceptedAt, attempt, progress);
  }
  let due = pollDueAt + planner.next(expected, pollDueAt - acceptedAt, attempt, undefined);
  for (let skipped = 0; due <= answeredAt && skipped < MAX_SKIPPED_ROUNDS; skipped += 1) due += planner.next(expected, due - acceptedAt, attempt, undefined);
  return due;
}
