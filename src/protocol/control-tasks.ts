import type { OutboundTask } from './frames.js';

/**
 * Builds the authentication task, always the first frame on a new socket.
 *
 * @param apiKey The account's API key.
 * @param sessionUUID The `connectionSessionUUID` of an earlier session to resume, if any.
 * @returns The task object.
 */
export function authenticationTask(apiKey: string, sessionUUID: string | undefined): OutboundTask {
  return sessionUUID === undefined
    ? { taskType: 'authentication', apiKey }
    : { taskType: 'authentication', apiKey, connectionSessionUUID: sessionUUID };
}

/**
 * Builds the `getResponse` task that polls an async task; it carries the target's own taskUUID.
 *
 * @param taskUUID The taskUUID of the task being polled.
 * @returns The task object.
 */
export function getResponseTask(taskUUID: string): OutboundTask {
  return { taskType: 'getResponse', taskUUID };
}
