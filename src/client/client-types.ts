import type { Observable } from 'rxjs';
import type { ConnectionState } from '../connection/connection-state.js';
import type { TaskEvent } from '../events/task-event.js';
import type { AttachOptions } from '../request/attach-task.js';
import type { TaskOptions } from '../request/task-plan.js';
import type { AnyTask, ParamsOf, PartialOf, ResultOf } from '../tasks/define-task.js';
import type { AllTasks } from '../tasks/registry.js';
import type { TaskStatus } from './task-status.js';
import type { Results, SettledResults } from './to-promise.js';

/** Per-request options of the Promise API. */
export interface RequestOptions extends TaskOptions {
  /** Cancels the wait (not the server's work): the promise rejects with an `aborted` error. */
  readonly signal?: AbortSignal | undefined;
}

/** A request method returning a cold Observable of the request's events. */
export type StreamMethod<P, R, U = never> = (params: P, options?: TaskOptions) => Observable<TaskEvent<R, U>>;

/**
 * A request method returning a Promise of the result items; with `settled: true`, of every item's
 * outcome instead (and of either when `settled` is only known to be a boolean).
 */
export interface PromiseMethod<P, R> {
  (params: P, options: RequestOptions & { readonly settled: true }): Promise<SettledResults<R>>;
  (params: P, options?: RequestOptions & { readonly settled?: false | undefined }): Promise<Results<R>>;
  (params: P, options?: RequestOptions): Promise<Results<R> | SettledResults<R>>;
}

/** The method names of a task: its name and its aliases. */
export type MethodNames<D extends AnyTask> = D['name'] | D['aliases'][number];

/** For each task, a Promise method per name, and its Observable twin with a `$` suffix. */
export type TaskMethods<T extends AnyTask> = {
  readonly [D in T as MethodNames<D>]: PromiseMethod<ParamsOf<D>, ResultOf<D>>;
} & {
  readonly [D in T as `${MethodNames<D>}$`]: StreamMethod<ParamsOf<D>, ResultOf<D>, PartialOf<D>>;
};

/** The tasks among `T` that a name (method name or wire `taskType`) designates. @internal */
export type TasksNamed<N extends string, T extends AnyTask> = T extends AnyTask ? (N extends T['taskType'] | MethodNames<T> ? T : never) : never;

/**
 * The result item of a task type, by method name or wire `taskType` (`'videoInference'`,
 * `'video'`); a record of unknown fields for a type the client does not know.
 */
export type TaskResult<N extends string, T extends AnyTask = AllTasks> = [TasksNamed<N, T>] extends [never]
  ? Readonly<Record<string, unknown>>
  : ResultOf<TasksNamed<N, T>>;

/** The parameters of a task type, by method name or wire `taskType`. */
export type TaskParams<N extends string, T extends AnyTask = AllTasks> = ParamsOf<TasksNamed<N, T>>;

/** Options of the Promise form of `attach`. */
export type AttachRequestOptions<N extends string> = AttachOptions<N> & { readonly signal?: AbortSignal | undefined };

/** What a dry run answers: the task as the server would take it, priced. */
export interface DryRunResult {
  readonly taskType: string;
  readonly taskUUID: string;
  /** What the task would cost, in USD, when the server says. */
  readonly cost?: number;
}

/**
 * Options of `dryRun`: those of a request, but `settled`, since a dry run resolves its one
 * priced answer (or rejects), never outcomes.
 */
export type DryRunOptions = Omit<RequestOptions, 'settled'>;

/** Options of `getResponse`: the type of the task polled, for typed results. */
export interface GetResponseOptions<N extends string> {
  /** The task's type, as submitted, or the name of its method; unknown types give plain records. */
  readonly taskType?: N | undefined;
  /** Cancels the wait for the answer (Promise form). */
  readonly signal?: AbortSignal | undefined;
  /** Deadline for the answer, in ms. */
  readonly timeout?: number | undefined;
}

/** What every client has, whatever its tasks: the connection, `attach`, `getResponse` and `dryRun`. */
export interface RunwareClientBase<T extends AnyTask = AllTasks> {
  /** The connection's state; replays the current one to each new subscriber. */
  readonly state$: Observable<ConnectionState>;
  /**
   * Opens and authenticates the connection; resolves once it is open. Optional: the first
   * request opens it too. Rejects with `code: 'auth'` for a wrong key, and with a timeout if the
   * connection is not open within `authTimeout`.
   */
  connect(): Promise<void>;
  /**
   * Closes the connection for good (until the next `connect()` or request) and ends every request
   * with `aborted`; resolves once the socket has closed.
   */
  disconnect(): Promise<void>;
  /**
   * Watches a task submitted earlier (by another process, before a page reload) by its taskUUID,
   * polling it with `getResponse`; nothing is submitted, nothing is billed.
   */
  attach$<N extends string>(taskUUID: string, options: AttachOptions<N>): Observable<TaskEvent<TaskResult<N, T>>>;
  /** Promise twin of {@link RunwareClientBase.attach$}; `settled: true` resolves every item's outcome. */
  attach<N extends string>(taskUUID: string, options: AttachRequestOptions<N> & { readonly settled: true }): Promise<SettledResults<TaskResult<N, T>>>;
  attach<N extends string>(taskUUID: string, options: AttachRequestOptions<N> & { readonly settled?: false | undefined }): Promise<Results<TaskResult<N, T>>>;
  attach<N extends string>(taskUUID: string, options: AttachRequestOptions<N>): Promise<Results<TaskResult<N, T>> | SettledResults<TaskResult<N, T>>>;
  /**
   * Asks the server once for a task's state (`getResponse`), for callers who poll themselves;
   * emits the answer's `status`, `result` and `failed` events, then completes. `attach$` polls
   * until the task is done instead.
   */
  getResponse$<N extends string = string>(taskUUID: string, options?: GetResponseOptions<N>): Observable<TaskEvent<TaskResult<N, T>>>;
  /** Promise twin of {@link RunwareClientBase.getResponse$}: the task's state as the answer gives it. */
  getResponse<N extends string = string>(taskUUID: string, options?: GetResponseOptions<N>): Promise<TaskStatus<TaskResult<N, T>>>;
  /**
   * Checks and prices a request without running it (the API's dry run, over a connection of its
   * own whose URL says `dryRun=1`): resolves with the server's answer, its `cost` when it gives one.
   * Whether and how the server prices a given task is the server's; nothing is generated.
   */
  dryRun<N extends MethodNames<T>>(task: N, params: TaskParams<N, T>, options?: DryRunOptions): Promise<DryRunResult>;
}

/**
 * A Runware client: one persistent connection, and every task of `T` both as an Observable method
 * (`$` suffix; subscribe to run, unsubscribe to cancel) and as a Promise of its result items.
 * `RunwareClient` alone is the client of every task type runware-rx knows (`createRunware`).
 */
export type RunwareClient<T extends AnyTask = AllTasks> = RunwareClientBase<T> & TaskMethods<T>;
