import { nextPollAt } from './next-poll.js';
import type { PlannedTask, PollPlanner } from './poll-planner.js';
import type { ReplyReading } from './read-reply.js';
import type { ReadyWindow } from './ready-window.js';

/**
 * A polled task's clock: when it was accepted, when each of its polls was due and written, what
 * the planner expected of it, and what it teaches the planner once it is found done. Only a task
 * that is polled has one (a pushed task never needs it), and a re-run's new task starts a new one.
 */
export class PollTiming {
  /** Polls written so far, resends after an unanswered poll aside. */
  polls = 0;
  /** When the last poll was due: the time of its round (scheduler time), from which the next is counted. */
  private dueAt = 0;
  /** When the last poll was written (scheduler time). */
  private sentAt = 0;
  /** When the last poll that found the task still running was written; `undefined`: none yet. */
  private runningAt: number | undefined;
  /** What the planner expected of the task when it was accepted; `null`: not asked yet. */
  private expected: ReadyWindow | undefined | null = null;

  /**
   * @param planner The client's poll planner.
   * @param task The task as the planner sees it.
   * @param acceptedAt When the task was accepted (scheduler time): its times count from then.
   * @param learnable Whether its time to ready can teach the planner: it was submitted by this
   *   request and acknowledged, so its times count from its acceptance (not a conflict, an attach).
   */
  constructor(
    private readonly planner: PollPlanner,
    private readonly task: PlannedTask,
    private acceptedAt: number,
    public learnable: boolean,
  ) {}

  /**
   * The server already had the task (a conflict): unless this request saw it acknowledged, it
   * may have run for long, so its times count from now and nothing learned says when it ends.
   */
  foundRunning(at: number): void {
    if (this.learnable) return;
    this.acceptedAt = at;
    this.expected = undefined;
  }

  /** A poll is written now, in the round due at `at`. */
  due(at: number, resent: boolean): void {
    this.dueAt = at;
    if (!resent) this.polls += 1;
  }

  /** The poll went out at `at` (later than due when the link was down or the event loop stalled). */
  written(at: number): void {
    this.sentAt = at;
  }

  /** When the next poll is due, after the acknowledgement (`poll` false) or the poll answer at `at`. */
  nextAt(at: number, poll: boolean, progress: number | undefined): number {
    return nextPollAt(this.planner, {
      expected: this.expectation(),
      acceptedAt: this.acceptedAt,
      attempt: this.polls + 1,
      answeredAt: at,
      pollDueAt: poll ? this.dueAt : undefined,
      pollSentAt: poll ? this.sentAt : undefined,
      progress: poll ? progress : undefined,
    });
  }

  /** runware-rx's estimate of the percent done at `at`, when something was expected of the task. */
  estimate(at: number): number | undefined {
    return this.planner.estimate(this.expectation(), at - this.acceptedAt);
  }

  /**
   * What a poll answer says of when the task became ready: still running at the poll just
   * written, or done by the time the answer arrived, which the planner remembers for the next
   * task of its kind (only a clean success: a failure's time says nothing of a model's pace).
   *
   * @param reading The poll answer.
   * @param at When it arrived (scheduler time).
   * @param asked How many items the task asked for.
   */
  observe(reading: ReplyReading, at: number, asked: number): void {
    if (reading.successes < asked) {
      if (reading.failures === 0) this.runningAt = this.sentAt;
      return;
    }
    const { key } = this.task;
    if (!this.learnable || key === undefined) return;
    this.learnable = false;
    const after = this.runningAt === undefined ? 0 : this.runningAt - this.acceptedAt;
    this.planner.learn(key, { after: Math.max(0, after), by: at - this.acceptedAt });
  }

  /** What the planner expects of this task: asked once, when it is first planned. */
  private expectation(): ReadyWindow | undefined {
    if (this.expected === null) this.expected = this.planner.expect(this.task);
    return this.expected;
  }
}
