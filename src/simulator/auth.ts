import type { Connection } from './connection.js';
import type { SimulatorEnv } from './env.js';
import { invalidApiKey, missingApiKey } from './errors.js';
import type { TaskObject } from './types.js';

/** WebSocket close code sent after a failed authentication: 1008 "policy violation". */
export const AUTH_FAILED_CLOSE_CODE = 1008;

/** Whether the simulator's `apiKey` option lets this key in (any non-empty string when no rule is set). WebSocket and REST alike. */
export const acceptsKey = (env: SimulatorEnv, apiKey: unknown): apiKey is string => {
  const rule = env.options.apiKey;
  if (typeof apiKey !== 'string' || apiKey === '') return false;
  return rule === undefined ? true : typeof rule === 'string' ? apiKey === rule : rule(apiKey) === true;
};

/**
 * Handles an `authentication` task. A known, unexpired `connectionSessionUUID` resumes that session
 * (same UUID back, then the frames it missed); an unknown or expired one silently starts a new
 * session with a new UUID, which every client handles (they all store whatever UUID comes back).
 * A bad key gets the docs' error item under both `errors` and `error`, and the socket is closed with 1008.
 */
export const authenticate = (connection: Connection, task: TaskObject, env: SimulatorEnv): void => {
  const { apiKey, connectionSessionUUID } = task;
  if (!acceptsKey(env, apiKey)) {
    // Both spellings: py-legacy and js-legacy read `errors`, ts-new only `error` (protocol §10.1).
    const error = apiKey === undefined ? missingApiKey() : invalidApiKey();
    connection.send({ errors: [error], error });
    connection.close(AUTH_FAILED_CLOSE_CODE, 'Invalid API key');
    env.options.log(`[${connection.id}] authentication refused`);
    return;
  }

  const resumed = env.sessions.find(connectionSessionUUID);
  const session = resumed ?? env.sessions.open();
  if (connection.session !== undefined && connection.session !== session) {
    env.sessions.detach(connection.session, connection);
  }
  env.sessions.attach(session, connection);
  connection.session = session;
  connection.send({ data: [{ taskType: 'authentication', connectionSessionUUID: session.id }] });
  env.options.log(
    `[${connection.id}] authenticated, session ${session.id}${resumed ? ` resumed, replaying ${session.backlog.length} frame(s)` : ''}`,
  );
  env.delivery.replay(session);
};
