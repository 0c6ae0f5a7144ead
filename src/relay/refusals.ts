/**
 * The errors a relay answers with itself, in the API's shape (protocol §6.1): each names its
 * task (`taskUUID`, `taskType`) and uses a code runware-rx and the official SDKs classify: a
 * refusal reads as the server's own, so a browser client needs no relay-specific handling.
 */

/** An error item as it goes to a browser. */
export interface RelayErrorItem {
  readonly code: string;
  readonly message: string;
  readonly taskType?: string;
  readonly taskUUID?: string;
  readonly parameter?: string;
  readonly type?: string;
  readonly [field: string]: unknown;
}

/** The task a refusal is about. */
export interface TaskRef {
  readonly taskType: string;
  readonly taskUUID?: string | undefined;
}

const about = (task: TaskRef): { taskType: string; taskUUID?: string } =>
  task.taskUUID === undefined ? { taskType: task.taskType } : { taskType: task.taskType, taskUUID: task.taskUUID };

/** A token the application refused, as the API answers a wrong key (both spellings are sent, §10.1). */
export const tokenRefused = (code: string, message: string): RelayErrorItem => ({
  code,
  message,
  parameter: 'apiKey',
  type: 'string',
  taskType: 'authentication',
});

/** A task sent before the socket authenticated. */
export const notAuthenticated = (task: TaskRef): RelayErrorItem => ({
  code: 'missingApiKey',
  message: 'This connection is not authenticated. Send an authentication task with your token before any other task.',
  parameter: 'apiKey',
  type: 'string',
  ...about(task),
});

/** A frame that is not a JSON array of task objects. */
export const invalidPayload = (message: string): RelayErrorItem => ({ code: 'invalidPayload', message });

/** A task without a UUID v4 `taskUUID`. */
export const invalidTaskUUID = (task: TaskRef, present: boolean): RelayErrorItem => ({
  code: present ? 'invalidTaskUUID' : 'missingTaskUUID',
  message: present ? 'Invalid value for taskUUID parameter. It must be a UUID v4 string.' : 'Missing taskUUID parameter. Every task needs a UUID v4 taskUUID.',
  parameter: 'taskUUID',
  type: 'string',
  ...about(task),
});

/**
 * A taskUUID this user did not submit: not theirs to poll, attach to, ask about or reuse. The
 * same answer as for a taskUUID nobody knows, so it tells nothing about other users' tasks.
 */
export const taskNotFound = (task: TaskRef): RelayErrorItem => ({
  code: 'taskNotFound',
  message: 'No task found with this taskUUID. It may never have been submitted, or it has expired.',
  parameter: 'taskUUID',
  type: 'string',
  ...about(task),
});

/** A media UUID produced for someone else, given as an input: as unknown as one that never existed. */
export const mediaNotFound = (task: TaskRef, parameter: string): RelayErrorItem => ({
  code: 'mediaNotFound',
  message: `No media found for ${parameter}. It may never have existed, or it has expired.`,
  parameter,
  type: 'string',
  ...about(task),
});

/** A task type the user's policy does not allow. */
export const permissionDenied = (task: TaskRef, account: boolean): RelayErrorItem => ({
  code: 'permissionDenied',
  message: account
    ? `${task.taskType} tasks cost or change the account and are not allowed through this relay for this user.`
    : `${task.taskType} tasks are not allowed through this relay for this user.`,
  parameter: 'taskType',
  type: 'string',
  ...about(task),
});

/** A count (`numberResults`, `promptVersions`) above the user's limit. */
export const countTooLarge = (task: TaskRef, parameter: string, max: number): RelayErrorItem => ({
  code: parameter === 'numberResults' ? 'invalidNumberResults' : `invalid${parameter[0]?.toUpperCase() ?? ''}${parameter.slice(1)}`,
  message: `${parameter} must be at most ${max} through this relay.`,
  parameter,
  type: 'integer',
  max,
  ...about(task),
});

/** More submissions in the last minute than the user's rate allows. */
export const rateLimited = (task: TaskRef, perMinute: number): RelayErrorItem => ({
  code: 'rateLimitExceeded',
  message: `More than ${perMinute} tasks in a minute; try again shortly.`,
  ...about(task),
});

/** More of the user's tasks at the server at once than the policy allows. */
export const tooManyInFlight = (task: TaskRef, max: number): RelayErrorItem => ({
  code: 'inFlightRateLimitExceeded',
  message: `At most ${max} tasks may run at once; try again when one has finished.`,
  ...about(task),
});

/** The relay could not reach Runware for this task (its connection closed or gave up). */
export const upstreamUnavailable = (task: TaskRef, reason: string): RelayErrorItem => ({
  code: 'serviceUnavailable',
  message: `The relay lost its connection to the Runware API: ${reason}`,
  ...about(task),
});
