import { echo } from './compact.js';
import type { ErrorItem } from './types.js';

/**
 * Builders for API-shaped error items (protocol §6.1). Every task error names its task
 * (`taskType`, `taskUUID`) so clients can route it; only connection-level errors (bad frames,
 * authentication) go without a `taskUUID`, as the real API does.
 */

/** What a failed parameter check reports; `errorItem` turns it into a wire item. */
export interface ParamProblem {
  readonly code: string;
  readonly message: string;
  readonly parameter: string;
  /** The JSON type the parameter should have: `string`, `integer`, `float`, `boolean`, `array`. */
  readonly type: string;
  readonly allowedValues?: readonly unknown[];
}

/** The task an error belongs to; `taskUUID` is absent when the task did not carry a usable one. */
export interface TaskRef {
  readonly taskType: string;
  readonly taskUUID?: string | undefined;
}

const DOCS_ROOT = 'https://runware.ai/docs/en';

const DOC_PAGES: Readonly<Record<string, string>> = {
  authentication: 'getting-started/how-to-connect',
  imageInference: 'image-inference/api-reference',
  videoInference: 'video-inference/api-reference',
  getResponse: 'utilities/task-responses',
  upscale: 'tools/upscale',
  imageUpscale: 'tools/upscale',
  removeBackground: 'tools/remove-background',
  imageBackgroundRemoval: 'tools/remove-background',
  caption: 'tools/caption',
  imageCaption: 'tools/caption',
  promptEnhance: 'tools/prompt-enhancer',
  imageUpload: 'utilities/image-upload',
  mediaStorage: 'utilities/media-storage',
};

/** Link to a parameter's anchor on the task's reference page, as the API's `documentation` field. */
export const documentationFor = (taskType: string, parameter?: string): string => {
  const page = `${DOCS_ROOT}/${DOC_PAGES[taskType] ?? 'getting-started/introduction'}`;
  return parameter === undefined ? page : `${page}#request-${parameter.toLowerCase()}`;
};

/** An error item for `task` from a parameter problem. */
export const errorItem = (task: TaskRef, problem: ParamProblem): ErrorItem => ({
  code: problem.code,
  message: problem.message,
  parameter: problem.parameter,
  type: problem.type,
  taskType: task.taskType,
  ...(task.taskUUID === undefined ? {} : { taskUUID: task.taskUUID }),
  documentation: documentationFor(task.taskType, problem.parameter),
  ...(problem.allowedValues === undefined ? {} : { allowedValues: problem.allowedValues }),
});

/** The reply to an authentication task with a wrong or empty key (docs' exact wording). */
export const invalidApiKey = (): ErrorItem => ({
  code: 'invalidApiKey',
  message: 'Invalid API key. Get one at https://my.runware.ai/signup',
  parameter: 'apiKey',
  type: 'string',
  taskType: 'authentication',
});

/** The reply to an authentication task that carries no `apiKey` at all. */
export const missingApiKey = (): ErrorItem => ({
  code: 'missingApiKey',
  message: 'Missing API key. Send an authentication task with your apiKey first.',
  parameter: 'apiKey',
  type: 'string',
  taskType: 'authentication',
});

/** The reply to a task sent on a socket that has not authenticated yet; the task is not run. */
export const notAuthenticated = (task: TaskRef): ErrorItem =>
  errorItem(task, {
    code: 'missingApiKey',
    message:
      'This connection is not authenticated. Send an authentication task with your apiKey before any other task.',
    parameter: 'apiKey',
    type: 'string',
  });

/** The reply to a task whose `taskType` the simulator does not implement. */
export const unsupportedTaskType = (task: TaskRef, supported: readonly string[]): ErrorItem =>
  errorItem(task, {
    code: 'unsupportedTaskType',
    message: `Unsupported taskType ${echo(task.taskType)}.`,
    parameter: 'taskType',
    type: 'string',
    allowedValues: supported,
  });

/** The reply to a task without a UUID v4 `taskUUID`. */
export const invalidTaskUUID = (task: TaskRef, present: boolean): ErrorItem =>
  errorItem(task, {
    code: present ? 'invalidTaskUUID' : 'missingTaskUUID',
    message: present
      ? 'Invalid value for taskUUID parameter. It must be a UUID v4 string.'
      : 'Missing taskUUID parameter. Every task needs a UUID v4 taskUUID.',
    parameter: 'taskUUID',
    type: 'string',
  });

/** The reply to a task reusing a taskUUID the server already knows. */
export const conflictTaskUUID = (task: TaskRef): ErrorItem =>
  errorItem(task, {
    code: 'conflictTaskUUID',
    message: 'A task with this taskUUID already exists. Use a new UUID v4 for every task.',
    parameter: 'taskUUID',
    type: 'string',
  });

/** The reply to `getResponse` for a task the server does not know (never seen, or expired). */
export const taskNotFound = (taskUUID: string): ErrorItem =>
  errorItem(
    { taskType: 'getResponse', taskUUID },
    {
      code: 'taskNotFound',
      message: 'No task found with this taskUUID. It may never have been submitted, or it has expired.',
      parameter: 'taskUUID',
      type: 'string',
    },
  );

/** A generation that could not be produced (e.g. the media encoder is not installed). */
export const processingFailed = (task: TaskRef, message: string): ErrorItem => ({
  code: 'processingFailed',
  message,
  taskType: task.taskType,
  ...(task.taskUUID === undefined ? {} : { taskUUID: task.taskUUID }),
  documentation: documentationFor(task.taskType),
});

/** The reply to an inbound frame that is not JSON, or not an array of task objects. */
export const invalidFrame = (code: 'invalidJSON' | 'invalidPayload', message: string): ErrorItem => ({
  code,
  message,
  documentation: documentationFor('authentication'),
});
