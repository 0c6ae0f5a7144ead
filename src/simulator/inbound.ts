import { authenticate } from './auth.js';
import { echoField } from './compact.js';
import type { Connection } from './connection.js';
import { decodeFrame } from './decode-frame.js';
import type { SimulatorEnv } from './env.js';
import { invalidFrame, notAuthenticated } from './errors.js';
import { submitTask } from './submit-task.js';
import type { OutboundFrame, TaskObject } from './types.js';
import { isRecord } from './is-record.js';

const isTaskObject = (value: unknown): value is TaskObject => isRecord(value);

/** Replies on the session path when there is one (ordered with results), else straight to the socket. */
const reply = (connection: Connection, env: SimulatorEnv, frame: OutboundFrame): void => {
  if (connection.session === undefined) connection.send(frame);
  else env.delivery.push(connection.session, frame);
};

/** Nothing to do: a socket has no reply to end (results keep coming on it). */
const NOT_WAITED_FOR = (): void => {};

/**
 * Routes one task of an inbound frame: only `authentication` and `ping` work before
 * authenticating; every other task then runs as REST runs it (`submitTask`), its answers going
 * out on the session. Each task fails on its own; its frame-mates still run.
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
  const session = connection.session;
  if (session === undefined) {
    const taskUUID = typeof value.taskUUID === 'string' ? echoField(value.taskUUID) : undefined;
    return connection.send({ errors: [notAuthenticated({ taskType: echoField(taskType), taskUUID })] });
  }
  const push = (frame: OutboundFrame) => env.delivery.push(session, frame);
  submitTask(value, taskType, env, { session, dryRun: connection.dryRun, push, answered: NOT_WAITED_FOR }, shareBytes);
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
