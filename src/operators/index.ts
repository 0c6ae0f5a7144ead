/*
 * runware-rx/operators: the stream operators the SDK is built from, for custom pipelines.
 * Each works on plain Observables and RxJS time, so it can be tested in virtual time.
 */
export { answerWithin } from './answer-within.js';
export { backoffDelay } from './backoff.js';
export { collectResults } from './collect-results.js';
export { pollDelay } from './poll-delay.js';
export { pollUntilDone } from './poll-until-done.js';
export { retryTransient } from './retry-transient.js';
export { taskTimeout } from './task-timeout.js';

export type { BackoffOptions } from './backoff.js';
export type { CollectResultsOptions } from './collect-results.js';
export type { PollDelayOptions, PollProgress } from './poll-delay.js';
export type { PollUntilDoneOptions } from './poll-until-done.js';
export type { RetryTransientOptions } from './retry-transient.js';
export type { DeadlineClock } from './task-timeout.js';
export type { AttemptEvent, TaskEvent } from '../events/task-event.js';
export type { DataItem } from '../protocol/frames.js';
