/*
 * The public API of runware-rx, named one by one. Held back on purpose: the connection
 * internals (router, outbox, link events) and the task definitions, which will change while
 * more task types arrive; the request schemas are public, for checking input early (forms).
 * Operators live in `runware-rx/operators` and the simulator in `runware-rx/simulator`.
 */
export { createRunware } from './client/create-runware.js';
export { DEFAULT_URL } from './client/options.js';
export { RunwareError } from './errors/runware-error.js';
export { ValidationError } from './errors/validation-error.js';
export { TaskTimeoutError } from './errors/task-timeout-error.js';
export { hasErrorCode, isRunwareError } from './errors/guards.js';
export { imageInferenceSchema } from './tasks/image-inference.js';
export { videoInferenceSchema } from './tasks/video-inference.js';

export type { RunwareOptions } from './client/options.js';
export type { PromiseMethod, RequestOptions, ResultOf, RunwareClient, StreamMethod } from './client/runware-client.js';
export type { SettledResult } from './client/to-promise.js';
export type { ConnectionState } from './connection/connection-state.js';
export type { RunwareErrorCode, RunwareErrorOptions } from './errors/runware-error.js';
export type { ValidationIssue } from './errors/validation-error.js';
export type { TimeoutPhase } from './errors/task-timeout-error.js';
export type { TaskOptions } from './request/run-plan.js';
export type { AttachOptions } from './request/attach-task.js';
export type { AttemptEvent, TaskEvent } from './request/task-event.js';
export type { ImageInferenceParams, ImageInferenceResult } from './tasks/image-inference.js';
export type { VideoInferenceParams, VideoInferenceResult } from './tasks/video-inference.js';
export type { DataItem, ErrorItem, InboundFrame, OutboundTask } from './protocol/frames.js';
export type { SocketLike, WebSocketConstructor } from './transport/socket-like.js';
export type { LogRecord, LogSink } from './util/log.js';
