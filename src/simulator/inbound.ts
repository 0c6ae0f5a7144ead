import { authenticate } from './auth.js';
import { echoField } from './compact.js';
import type { Connection } from './connection.js';
import { decodeFrame } from './decode-frame.js';
import type { SimulatorEnv } from './env.js';
import { conflictTaskUUID, invalidFrame, invalidTaskUUID, notAuthenticated, unsupportedTaskType } from './errors.js';
import { handlerFor, supportedTaskTypes } from './tasks/index.js';
import { readOrReject, REJECTED } from './tasks/param-error.js';
import type { TaskContext } from './tasks/task-handler.js';
import type { OutboundFrame, TaskObject } from './types.js';
import { isRecord } from './is-record.js';
import { isUuidV4 } from './uuid.js';

const isTaskObject = (value: unknown): value is TaskObject => isRecord(value);

/** Replies on the session path when there is one (ordered with results), else straight to the socket. */
const reply = (connection: Connection, env: SimulatorEnv, frame: OutboundFrame): void => {
  if (connection.session === undefined) connection.send(frame);
  else env.delivery.push(connection.session, frame);
};

/**
 * Routes one task of an inbound frame. Checks run in the API's order of concern: authentication
 * (only `authentication` and `ping` work before it), then task type, then taskUUID, then the
 * `admit` hook, then taskUUID conflicts, then the handler's own parameter validation; a valid task
 * then runs, or on a dry-run socket is answered with its price alone. Each task fails on its own;
 * its frame-mates still run.
 */
const routeTask = (connection: Connection, value: unknown, env: SimulatorEnv, shareBytes: number): void => {
  if (!isTaskObject(value)) {
    reply(connection, env, { errors: [invalidFrame('invalidPayload', 'Each element of the frame must be a task object.')] });
    return;
  }
  const taskType = typeof value.taskType === 'string' ? value.taskType : '';
  env.stats.taskReceived(value, taskType, shareBytes);
  if (taskType === 'authentication') return authenticate(connection, value, env);
  // Alone, whatever the framing: clients read a frame with a pong as a pong (the official JS SDK
  // drops the rest of it; an older Python client looks for it only at data[0]).
  if (taskType === 'ping') return connection.send({ data: [{ taskType: 'ping', pong: true }] });

  const taskUUID = isUuidV4(value.taskUUID) ? value.taskUUID : undefined;
  // Echoed back so the client can route the error, but cut short: a client's 10 MB string is not.
  const echoedUUID = typeof value.taskUUID === 'string' ? echoField(value.taskUUID) : undefined;
  const ref = { taskType: echoField(taskType), taskUUID: echoedUUID };
  const session = connection.session;
  if (session === undefined) return connection.send({ errors: [notAuthenticated(ref)] });

  const push = (frame: OutboundFrame) => env.delivery.push(session, frame);
  const handler = handlerFor(taskType);
  if (handler === undefined) return push({ errors: [unsupportedTaskType(ref, supportedTaskTypes())] });
  if (taskUUID === undefined) return push({ errors: [invalidTaskUUID(ref, value.taskUUID !== undefined)] });
  // Rejected at the front door (fault injection: rate limits, server errors): not remembered.
  const rejection = env.hooks.admit?.({ taskType, taskUUID, session });
  if (rejection !== undefined) return push({ errors: [rejection] });
  if (handler.createsTask && env.tasks.has(taskUUID)) return push({ errors: [conflictTaskUUID(ref)] });
  const context: TaskContext = { env, session, taskType, taskUUID, task: value, shareBytes, push };
  const params = readOrReject(handler.parse, value, context);
  if (params === REJECTED) return;
  // A dry run (protocol §10.6) is validated and priced as usual, and goes no further; lookups
  // (getResponse, getTaskDetails) run nothing and are answered as usual.
  if (connection.dryRun && handler.createsTask) return push({ data: [{ taskType, taskUUID, cost: handler.price(params) }] });
  handler.run(params, context);
};

/** Handles one inbound WebSocket message: decode, then route each task independently. */
export const handleInbound = (connection: Connection, message: string, env: SimulatorEnv): void => {
  env.stats.frameReceived();
  const decoded = decodeFrame(message);
  if (!decoded.ok) return reply(connection, env, { errors: [decoded.error] });
  // What each task weighs, for the bounded task log: measured for free, the frame is already text.
  const shareBytes = message.length / Math.max(1, decoded.tasks.length);
  for (const task of decoded.tasks) {
    try {
      routeTask(connection, task, env, shareBytes);
    } catch (error) {
      // A simulator bug must not take the socket (or the other tasks of the frame) down with it.
      env.options.log(`[${connection.id}] task handler threw: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
};
