import { echoField } from './compact.js';
import type { SimulatorEnv } from './env.js';
import { conflictTaskUUID, invalidTaskUUID, unsupportedTaskType } from './errors.js';
import type { EventStream } from './event-stream.js';
import type { Session } from './session.js';
import { handlerFor, supportedTaskTypes } from './tasks/index.js';
import { readOrReject, REJECTED } from './tasks/param-error.js';
import type { TaskContext } from './tasks/task-handler.js';
import type { OutboundFrame, TaskObject } from './types.js';
import { isUuidV4 } from './uuid.js';

/** Who submitted a task, as both transports describe it: where its answers go, and how it runs. */
export interface Submitter {
  /** The session the task runs under: its latency draws and its name in fault logs. */
  readonly session: Session;
  /** Validate and price only (protocol §10.6). */
  readonly dryRun: boolean;
  push(frame: OutboundFrame): void;
  /** The task has pushed all its submitter waits for (see `TaskContext.answered`). */
  answered(): void;
  /** Where a streaming answer goes, when the transport can stream this task. */
  readonly stream?: EventStream | undefined;
}

/**
 * Runs one authenticated task, the same for the WebSocket and REST. Checks run in the API's order
 * of concern: task type, then taskUUID, then the `admit` hook, then taskUUID conflicts, then the
 * handler's own parameter validation; a valid task then runs, or on a dry run is answered with
 * its price alone. A task answered here (refused, priced, or a lookup, which answers at once) is
 * told `answered` here; a task that runs says it itself when it has.
 *
 * @param task The task object (already known to be an object).
 * @param taskType Its `taskType`, or `''` when it has none.
 * @param env The simulator.
 * @param submitter Where its answers go.
 * @param shareBytes Its share of its frame's length (see `task-log.ts`).
 */
export const submitTask = (task: TaskObject, taskType: string, env: SimulatorEnv, submitter: Submitter, shareBytes: number): void => {
  const { session, push } = submitter;
  const answer = (frame: OutboundFrame) => {
    push(frame);
    submitter.answered();
  };
  const taskUUID = isUuidV4(task.taskUUID) ? task.taskUUID : undefined;
  // Echoed back so the client can route the error, but cut short: a client's 10 MB string is not.
  const echoedUUID = typeof task.taskUUID === 'string' ? echoField(task.taskUUID) : undefined;
  const ref = { taskType: echoField(taskType), taskUUID: echoedUUID };

  const handler = handlerFor(taskType);
  if (handler === undefined) return answer({ errors: [unsupportedTaskType(ref, supportedTaskTypes())] });
  if (taskUUID === undefined) return answer({ errors: [invalidTaskUUID(ref, task.taskUUID !== undefined)] });
  // Rejected at the front door (fault injection: rate limits, server errors): not remembered.
  const rejection = env.hooks.admit?.({ taskType, taskUUID, session });
  if (rejection !== undefined) return answer({ errors: [rejection] });
  if (handler.createsTask && env.tasks.has(taskUUID)) return answer({ errors: [conflictTaskUUID(ref)] });
  const context: TaskContext = { env, session, taskType, taskUUID, task, shareBytes, push, answered: submitter.answered, stream: submitter.stream };
  const params = readOrReject(handler.parse, task, context);
  if (params === REJECTED) return submitter.answered();
  // A dry run (protocol §10.6) is validated and priced as usual, and goes no further; lookups
  // (getResponse, getTaskDetails) run nothing and are answered as usual.
  if (submitter.dryRun && handler.createsTask) return answer({ data: [{ taskType, taskUUID, cost: handler.price(params) }] });
  handler.run(params, context);
  if (!handler.createsTask) submitter.answered();
};
