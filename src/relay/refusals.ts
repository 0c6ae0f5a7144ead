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

/** What a task says it is, as far as a refusal can name it. */
export const refOf = (task: Readonly<Record<string, unknown>>): TaskRef => ({
  taskType: typeof task['taskType'] === 'string' ? task['taskType'] : '',
  taskUUID: typeof task['taskUUID'] === 'string' ? task['taskUUID'] : undefined,
});

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

/** A task without a lower-case UUID v4 `taskUUID`. */
export const invalidTaskUUID = (task: TaskRef, present: boolean): RelayErrorItem => ({
  code: present ? 'invalidTaskUUID' : 'missingTaskUUID',
  message: present
    ? 'Invalid value for taskUUID parameter. It must be a UUID v4 string in lower case.'
    : 'Missing taskUUID parameter. Every task needs a UUID v4 taskUUID.',
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

/** A count (`numberResults`, `promptVersions`) that is not an integer from 1 to the user's limit. */
export const countInvalid = (task: TaskRef, parameter: string, max: number): RelayErrorItem => ({
  code: parameter === 'numberResults' ? 'invalidNumberResults' : `invalid${parameter[0]?.toUpperCase() ?? ''}${parameter.slice(1)}`,
  message: `${parameter} must be an integer from 1 to ${max} through this relay.`,
  parameter,
  type: 'integer',
  min: 1,
  max,
  ...about(task),
});

/** A task type that is neither one runware-rx knows nor one the user's policy names. */
export const unsupportedTaskType = (task: TaskRef): RelayErrorItem => ({
  code: 'unsupportedTaskType',
  message: 'This task type is not supported through this relay. Task types are spelled as the API spells them.',
  parameter: 'taskType',
  type: 'string',
  ...about(task),
});

/** `authentication` or `ping` in another spelling, or at a place where it is not the socket's own. */
export const reservedTaskType = (task: TaskRef): RelayErrorItem => ({
  code: 'invalidTaskType',
  message: 'authentication and ping are spoken with the relay itself, spelled exactly so, and never forwarded.',
  parameter: 'taskType',
  type: 'string',
  ...about(task),
});

/** A task that could not be read safely: nested too deeply, or naming too many UUIDs. */
export const taskTooComplex = (task: TaskRef, message: string): RelayErrorItem => ({ code: 'invalidPayload', message, ...about(task) });

/** A `webhookURL` or `uploadEndpoint` the user's policy does not allow. */
export const deliveryDenied = (task: TaskRef, parameter: string): RelayErrorItem => ({
  code: 'permissionDenied',
  message: `${parameter} is not allowed through this relay for this user.`,
  parameter,
  type: 'string',
  ...about(task),
});

/** A frame with more tasks than the relay takes in one frame: for the frame, or naming one of its tasks. */
export const tooManyTasks = (max: number, task?: TaskRef): RelayErrorItem => ({
  code: 'invalidPayload',
  message: `A frame may carry at most ${max} tasks through this relay; none of this frame's tasks were read.`,
  ...(task === undefined ? {} : about(task)),
});

/** The relay could not decide on a task now (its store failed, or is full): try again later. */
export const relayUnavailable = (task: TaskRef): RelayErrorItem => ({
  code: 'serviceUnavailable',
  message: 'The relay cannot take this task right now; try again shortly.',
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

/**
 * Runware closed the relay's connection (1009) after a frame that held this task alone: the task
 * is larger than Runware takes. A validation error, so that the page does not send it again into
 * the same close, under every other user's tasks.
 */
export const taskTooLarge = (task: TaskRef): RelayErrorItem => ({
  code: 'invalidPayload',
  message: 'This task is larger than the Runware API takes, and was not read. Send large inputs by URL, or upload them first.',
  ...about(task),
});

/**
 * The relay could not reach Runware for this task (its connection closed, gave up, or is held
 * back after the relay's key was refused). What went wrong goes to the relay's log: the upstream
 * URL and its reasons are the server's business, not the page's.
 */
export const upstreamUnavailable = (task: TaskRef): RelayErrorItem => ({
  code: 'serviceUnavailable',
  message: 'The relay cannot reach the Runware API right now; try again shortly.',
  ...about(task),
});
