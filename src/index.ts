/*
 * The public API of runware-rx, named one by one. Everything of one task type (its definition,
 * schema, parameter and result types) is in `runware-rx/tasks`, so that this list never grows
 * with the task types (`TaskParams<'imageInference'>` and `TaskResult<...>` look them up by name);
 * operators are in `runware-rx/operators`, the simulator in `runware-rx/simulator`. Held back on purpose: the connection internals (router, outbox, link
 * events) and the wire shapes (frames, items), which users never handle.
 */
export { createRunware } from './client/create-runware.js';
export { createRunwareClient } from './client/create-client.js';
export { DEFAULT_URL } from './client/options.js';
export { RunwareError } from './errors/runware-error.js';
export { ValidationError } from './errors/validation-error.js';
export { TaskTimeoutError } from './errors/task-timeout-error.js';
export { ProtocolError } from './errors/protocol-error.js';
export { hasErrorCode, isRunwareError } from './errors/guards.js';
export { raw } from './tasks/raw-item.js';
export { withExtraFields } from './tasks/extra-fields.js';
export { MEDIA_SOURCE } from './tasks/media-value.js';

export type { RunwareOptions } from './client/options.js';
export type { RunwareClientOptions } from './client/create-client.js';
export type {
  AttachRequestOptions,
  DryRunOptions,
  DryRunResult,
  GetResponseOptions,
  MethodNames,
  PromiseMethod,
  RequestOptions,
  RunwareClient,
  RunwareClientBase,
  StreamMethod,
  TaskMethods,
  TaskParams,
  TaskResult,
} from './client/client-types.js';
export type { Results, SettledResult, SettledResults } from './client/to-promise.js';
export type { TaskStatus } from './client/task-status.js';
export type { ConnectionState } from './connection/connection-state.js';
export type { RunwareErrorCode, RunwareErrorOptions } from './errors/runware-error.js';
export type { ValidationIssue } from './errors/validation-error.js';
export type { TimeoutPhase } from './errors/task-timeout-error.js';
export type { TaskEvent } from './events/task-event.js';
export type { AttachOptions } from './request/attach-task.js';
export type { TaskOptions } from './request/task-plan.js';
export type { MediaBytes, MediaSource, MediaValue } from './tasks/media-value.js';
export type { ApiKeySource } from './connection/api-key.js';
export type { SocketCloseEvent, SocketLike, SocketMessageEvent, WebSocketConstructor } from './transport/socket-like.js';
export type { LogRecord, LogSink } from './util/log.js';
