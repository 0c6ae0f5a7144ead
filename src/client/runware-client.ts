import type { Observable } from 'rxjs';
import type { ConnectionState } from '../connection/connection-state.js';
import type { DataItem } from '../protocol/frames.js';
import type { AttachOptions } from '../request/attach-task.js';
import type { TaskOptions } from '../request/run-plan.js';
import type { TaskEvent } from '../request/task-event.js';
import type { ImageInferenceParams, ImageInferenceResult } from '../tasks/image-inference.js';
import type { VideoInferenceParams, VideoInferenceResult } from '../tasks/video-inference.js';
import type { SettledResult } from './to-promise.js';

/** Per-request options of the Promise API. */
export interface RequestOptions extends TaskOptions {
  /** Cancels the wait (not the server's work): the promise rejects with an `aborted` error. */
  readonly signal?: AbortSignal | undefined;
}

/** A request method returning a cold Observable of the request's events. */
export type StreamMethod<P, R> = (params: P, options?: TaskOptions) => Observable<TaskEvent<R>>;

/** A request method returning a Promise of the result items (or, `settled`, of every item's outcome). */
export interface PromiseMethod<P, R> {
  (params: P, options: RequestOptions & { readonly settled: true }): Promise<SettledResult<R>[]>;
  (params: P, options?: RequestOptions): Promise<R[]>;
}

/** The result type of a task type, for `attach`. */
export type ResultOf<TTaskType extends string> = TTaskType extends 'imageInference'
  ? ImageInferenceResult
  : TTaskType extends 'videoInference'
    ? VideoInferenceResult
    : DataItem;

/**
 * A Runware client: one persistent connection, every request both as an Observable (`$`
 * suffix; subscribe to run, unsubscribe to cancel) and as a Promise of its result items.
 */
export interface RunwareClient {
  /** The connection's state; replays the current one to each new subscriber. */
  readonly state$: Observable<ConnectionState>;
  /**
   * Opens and authenticates the connection; resolves once it is open. Optional: the first
   * request opens it too. Rejects with `code: 'auth'` for a wrong key, and with a timeout if
   * the connection is not open within `authTimeout`.
   */
  connect(): Promise<void>;
  /**
   * Closes the connection for good (until the next `connect()` or request) and fails tasks in
   * flight with `aborted`; resolves once the socket has closed.
   */
  disconnect(): Promise<void>;

  /** Generates images; emits `submitted`, then a `result` per image, then completes. */
  readonly imageInference$: StreamMethod<ImageInferenceParams, ImageInferenceResult>;
  /** Alias of {@link RunwareClient.imageInference$}. */
  readonly image$: StreamMethod<ImageInferenceParams, ImageInferenceResult>;
  /** Generates images; resolves with them. */
  readonly imageInference: PromiseMethod<ImageInferenceParams, ImageInferenceResult>;

  /** Generates videos; emits `submitted`, `accepted`, a `status` per poll, a `result` per video. */
  readonly videoInference$: StreamMethod<VideoInferenceParams, VideoInferenceResult>;
  /** Alias of {@link RunwareClient.videoInference$}. */
  readonly video$: StreamMethod<VideoInferenceParams, VideoInferenceResult>;
  /** Generates videos; resolves with them once every one is ready. */
  readonly videoInference: PromiseMethod<VideoInferenceParams, VideoInferenceResult>;

  /**
   * Watches a task submitted earlier (by another process, before a page reload) by its
   * taskUUID, polling it with `getResponse`; nothing is submitted, nothing is billed.
   */
  attach$<T extends string>(taskUUID: string, options: AttachOptions<T>): Observable<TaskEvent<ResultOf<T>>>;
  /** Promise twin of {@link RunwareClient.attach$}; `settled: true` resolves every item's outcome. */
  attach<T extends string>(
    taskUUID: string,
    options: AttachOptions<T> & RequestOptions & { readonly settled: true },
  ): Promise<SettledResult<ResultOf<T>>[]>;
  attach<T extends string>(taskUUID: string, options: AttachOptions<T> & RequestOptions): Promise<ResultOf<T>[]>;
}
