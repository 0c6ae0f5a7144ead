import { asapScheduler } from 'rxjs';
import type { Connection } from '../connection/connection.js';
import { forTask } from '../errors/for-task.js';
import { backoffDelay } from '../operators/backoff.js';
import { createAlarm } from '../request/alarm.js';
import { createDeadlineAlarm } from '../request/deadline-alarm.js';
import { createInFlightLimiter } from '../request/in-flight-limiter.js';
import { createPollPlanner } from '../request/poll-planner.js';
import { createRateGate } from '../request/rate-gate.js';
import { createRequestRegistry } from '../request/request-registry.js';
import type { TaskAlarms, TaskContext } from '../request/task-context.js';
import type { AnyTask } from '../tasks/define-task.js';
import { MAX_BACKOFF_MS, jitterOf } from './create-client-connection.js';
import { createParamsPolicy } from './params-policy.js';
import type { ResolvedOptions } from './options.js';

/**
 * How early a task's poll may go with a round of others, as a fraction of its wait, given how
 * many tasks wait for a poll (those in the alarm, or polled in its last round: the first answers
 * of a round come back while few are in it): an early poll costs a poll and saves a frame, which
 * pays only when frames are many. Fewer than ten tasks are polled when due (within 1 % of their
 * wait, so tasks acknowledged together still share frames); from ten on, a task whose wait is
 * two-thirds over joins any round, so a busy client polls each task a little sooner, at most 1.5
 * times as often as planned, at no cost in frames.
 */
const POLL_JOIN = (waiting: number): number => (waiting < 10 ? 0.01 : 1 / 3);
/** Finished tasks remembered per kind (taskType, model, duration), and kinds remembered. */
const READY_MEMORY = { perKey: 8, keys: 64 };
/** Re-sends of a status poll that got no answer before the attempt fails. */
const POLL_RETRIES = 3;

/**
 * Builds what every task of one client shares from its resolved options and its connection: the
 * alarms (deadlines and poll times), the rate gate, the in-flight limiter and the policies.
 *
 * @param options The resolved client options.
 * @param tasks The client's tasks (one that stores media uploads large inputs).
 * @param connection The client's connection.
 * @returns The task context.
 */
export function createTaskContext(options: ResolvedOptions, tasks: readonly AnyTask[], connection: Connection): TaskContext {
  const jitter = jitterOf(options);
  const deadlines = createDeadlineAlarm<TaskAlarms>((task) => task.expired(), { get: (task) => task.deadlineLink, set: (task, link) => void (task.deadlineLink = link) });
  const answers = createDeadlineAlarm<TaskAlarms>((task) => task.unanswered(), { get: (task) => task.answerLink, set: (task, link) => void (task.answerLink = link) });
  const polls = createAlarm<{ pollDue(at: number): void }>((task, at) => task.pollDue(at), 0, POLL_JOIN);
  const requests = createRequestRegistry();
  // Once the tasks of a closing connection have failed and left the alarms (just after the state
  // changes), a leftover timer must not keep a Node process alive.
  connection.state$.subscribe((state) => {
    if (state.type === 'closed') {
      // A link that ended for good (it gave up reconnecting, the key was refused) ends every
      // request it was running, also those waiting out a retry's delay off the socket: each would
      // otherwise dial again when its wait ends, behind the verdict. A new request still dials.
      const { error } = state;
      if (error !== undefined && !error.retryable) requests.abortAll((task) => forTask(error, task));
      asapScheduler.schedule(() => {
        deadlines.standDown();
        answers.standDown();
        polls.standDown();
      });
    }
  });
  const context: TaskContext = {
    // The upload of large inputs runs as a task of this same context: the policy reaches it when
    // it uploads or warns, by then made. (Not a lazy getter: an object literal with an accessor is
    // built by the runtime's slow path.)
    params: createParamsPolicy(() => context, options, tasks),
    connection,
    gate: createRateGate({ initial: Math.max(options.retryDelay, 1), max: MAX_BACKOFF_MS, jitter }),
    limiter: createInFlightLimiter(options.maxInFlight),
    requests,
    deadlines,
    answers,
    polls,
    planner: createPollPlanner({
      pollInterval: options.pollInterval,
      projection: { first: options.pollInterval, factor: 1.5, max: 10_000, min: 100 },
      memory: READY_MEMORY,
    }),
    policy: {
      timeout: options.timeout,
      pushTimeout: 300_000,
      pollTaskTimeout: 1_200_000,
      answerTimeout: options.answerTimeout,
      ackTimeout: options.ackTimeout,
      pollTimeout: options.pollTimeout,
      pollRetries: POLL_RETRIES,
      maxRetries: options.maxRetries,
      retryFailed: options.retryFailed,
      retryBackoff: backoffDelay({ initial: options.retryDelay }),
      dryRun: options.dryRun,
    },
  };
  return context;
}
