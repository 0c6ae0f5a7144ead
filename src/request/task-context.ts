import type { Observable } from 'rxjs';
import type { Connection } from '../connection/connection.js';
import type { PollDelayOptions } from '../operators/poll-delay.js';
import type { DeadlineSweeper } from './deadline-sweeper.js';
import type { RequestRegistry } from './request-registry.js';
import type { InFlightLimiter } from './in-flight-limiter.js';
import type { RateGate } from './rate-gate.js';

/** Deadlines and retry budgets that apply to every task of a client. */
export interface TaskPolicy {
  /** Whole-task deadline for tasks the server pushes (sync delivery), in ms. */
  readonly syncTimeout: number;
  /** Whole-task deadline for acknowledged-then-polled tasks (async delivery), in ms. */
  readonly asyncTimeout: number;
  /** Deadline for the acknowledgement of an async submission, from the moment it is written. */
  readonly ackTimeout: number;
  /** Deadline for the answer to one poll, from the moment it is written. */
  readonly pollTimeout: number;
  /** Re-sends of a poll that got no answer before the attempt fails. */
  readonly pollRetries: number;
  /** Retries of a retryable failure, always with the same taskUUID. */
  readonly maxRetries: number;
  /** The wait before retry number `attempt` (from 1), in ms: from `retryDelay`, doubling. */
  readonly retryBackoff: (attempt: number) => number;
  /** The polling schedule. */
  readonly poll: PollDelayOptions;
}

/** What every task of a client shares: the connection, the poll clock, the limits and the policy. */
export interface TaskContext {
  /** The one connection every task of the client shares. */
  readonly connection: Connection;
  /** Waits at least `ms`, aligned to the client's poll clock so polls of many tasks share frames. */
  readonly wait: (ms: number) => Observable<unknown>;
  /** Holds submissions and retries back while the server rate-limits this client. */
  readonly gate: RateGate;
  /** Caps the tasks in flight (`maxInFlight`). */
  readonly limiter: InFlightLimiter;
  /** Keeps every request's whole-task deadline, with one timer for the client. */
  readonly deadlines: DeadlineSweeper;
  /** Every request running or waiting, so that `disconnect()` can end them all. */
  readonly requests: RequestRegistry;
  /** Deadlines and retry budgets. */
  readonly policy: TaskPolicy;
}
