import type { TaskLine } from '../connection/connection.js';
import type { RouteListener } from '../connection/route.js';
import type { RelayedTask } from './relayed-task.js';

/** What a relayed task needs from the relay around it. */
export interface TaskHost {
  /** Joins the upstream route of a taskUUID. */
  join(taskUUID: string, listener: RouteListener): TaskLine;
  /** Hands items to a browser session. */
  deliver(sessionUUID: string, data: readonly unknown[], errors: readonly unknown[]): void;
  /** Claims the media a result produced for the task's user. */
  claimOutputs(userId: string, uuids: readonly string[]): void;
  /**
   * The claim the relay made for this task must go: the server already had the taskUUID (someone
   * else's task), or the submission never reached it for sure.
   */
  disown(task: RelayedTask): void;
  /** The server turned the task away before it ran: the claim made for it goes back, quietly. */
  release(task: RelayedTask): void;
  /** The task is over (or forgotten): release its slot and its place. */
  settled(task: RelayedTask, reason: string): void;
  /** How long a task may go without any traffic before it is forgotten. */
  readonly idleTimeout: number;
  /** How long a look-up held for an unconfirmed task waits for the first answer, then for the archive's. */
  readonly firstAnswerTimeout: number;
}

/** The facts of a task to follow. */
export interface TaskFacts {
  readonly taskUUID: string;
  readonly userId: string;
  readonly taskType: string;
  readonly expected: number;
  /**
   * The id of the claim the relay has just made for it, when there was none before: the task is
   * then unconfirmed until the server's first answer shows it took the taskUUID as new.
   */
  readonly freshClaim?: string | undefined;
}
