import type { Connection } from '../connection/connection.js';
import type { UnknownField } from '../tasks/check-params.js';
import type { MediaPolicy } from './prepare-media.js';
import type { Alarm } from './alarm.js';
import type { DueLink } from './deadline-alarm.js';
import type { InFlightLimiter } from './in-flight-limiter.js';
import type { PollPlanner } from './poll-planner.js';
import type { RateGate } from './rate-gate.js';
import type { RequestRegistry } from './request-registry.js';

/** Deadlines and retry budgets that apply to every task of a client. */
export interface TaskPolicy {
  /**
   * The client's own whole-task deadline, when its options set one, in ms: it then holds for every
   * task, those whose definitions bring a default of their own included.
   */
  readonly timeout?: number | undefined;
  /** Whole-task deadline for tasks whose results are pushed (or streamed), in ms, when neither the client nor the task sets one. */
  readonly pushTimeout: number;
  /** Whole-task deadline for acknowledged-then-polled tasks, in ms, when neither the client nor the task sets one. */
  readonly pollTaskTimeout: number;
  /** The longest silence while a pushed task runs: before its first reply, and between replies. */
  readonly answerTimeout: number;
  /** Deadline for the acknowledgement of a polled task, from the moment it is written. */
  readonly ackTimeout: number;
  /** Deadline for the answer to one poll, from the moment it is written. */
  readonly pollTimeout: number;
  /** Re-sends of a poll that got no answer before the attempt fails. */
  readonly pollRetries: number;
  /** Retries of a retryable failure. */
  readonly maxRetries: number;
  /** Whether a task that failed after the server took it is re-run under a new taskUUID. */
  readonly retryFailed: boolean;
  /** The wait before retry number `attempt` (from 1), in ms: from `retryDelay`, doubling. */
  readonly retryBackoff: (attempt: number) => number;
  /**
   * A dry-run client: the server checks and prices each task without running it, and its first
   * answer for the task is the request's one result.
   */
  readonly dryRun: boolean;
}

/** What the alarms of a client call on a task, and where it keeps its place in the deadline alarms. */
export interface TaskAlarms {
  /** Its place in the whole-task deadlines (kept by the alarm). */
  deadlineLink: DueLink<TaskAlarms> | undefined;
  /** Its place in the answer deadlines (kept by the alarm). */
  answerLink: DueLink<TaskAlarms> | undefined;
  /** The whole-task deadline passed. */
  expired(): void;
  /** What the task last wrote went unanswered for too long. */
  unanswered(): void;
  /** The task's next poll is due, in a round due at scheduler time `at`. */
  pollDue(at: number): void;
}

/** How a client checks request parameters. */
export interface ParamsPolicy {
  /** Refuse unknown fields instead of sending them with a warning (`strictParams`). */
  readonly strict: boolean;
  /** Says (once per task type and field) that an unknown field is sent as it is. */
  readonly notice: (taskType: string, field: UnknownField) => void;
  /** How bytes given as media inputs are sent. */
  readonly media: MediaPolicy;
}

/** What every task of a client shares: the connection, the alarms, the limits and the policy. */
export interface TaskContext {
  /** The one connection every task of the client shares. */
  readonly connection: Connection;
  /** Holds submissions and retries back while the server rate-limits this client. */
  readonly gate: RateGate;
  /** Caps the tasks in flight (`maxInFlight`). */
  readonly limiter: InFlightLimiter;
  /** Every request running or waiting, so that `disconnect()` can end them all. */
  readonly requests: RequestRegistry;
  /** Whole-task deadlines. */
  readonly deadlines: Alarm<TaskAlarms>;
  /** Answer deadlines: acknowledgement, pushed replies, polls. */
  readonly answers: Alarm<TaskAlarms>;
  /** Poll times; polls due together share one frame. */
  readonly polls: Alarm<TaskAlarms>;
  /** When each task's next poll is due; it learns how long the client's tasks take. */
  readonly planner: PollPlanner;
  /** Deadlines and retry budgets. */
  readonly policy: TaskPolicy;
  /** How parameters are checked. */
  readonly params: ParamsPolicy;
}
