import type { Observable } from 'rxjs';
import { lastValueFrom } from 'rxjs';
import type { AttachOptions } from '../request/attach-task.js';
import { disconnectedError } from '../errors/disconnected-error.js';
import { attachTask } from '../request/attach-task.js';
import { executeTask } from '../request/execute-task.js';
import type { TaskOptions } from '../request/run-plan.js';
import type { TaskEvent } from '../request/task-event.js';
import type { TaskDefinition, TaskParams, TaskResult } from '../tasks/define-task.js';
import { imageInference } from '../tasks/image-inference.js';
import { videoInference } from '../tasks/video-inference.js';
import { createTaskContext } from './create-task-context.js';
import type { RunwareOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import type { PromiseMethod, RequestOptions, ResultOf, RunwareClient, StreamMethod } from './runware-client.js';
import type { SettledResult } from './to-promise.js';
import { toResults, toSettled } from './to-promise.js';

/**
 * Creates a Runware client. Nothing is dialled until `connect()` or the first request.
 *
 * @param options API key, endpoint, deadlines and retry policy; all optional.
 * @returns The client.
 * @throws {ValidationError} When an option is missing or wrong (no key anywhere, a URL that is not ws:// or wss://).
 *
 * @example
 * ```ts
 * const runware = createRunware({ apiKey: process.env.RUNWARE_API_KEY });
 * const [image] = await runware.imageInference({ positivePrompt: 'a lighthouse', model: 'runware:101@1', width: 1024, height: 1024 });
 * runware.video$({ positivePrompt: 'waves', model: 'klingai:5@3', duration: 5 }).subscribe(console.log);
 * ```
 */
export function createRunware(options: RunwareOptions = {}): RunwareClient {
  const context = createTaskContext(resolveOptions(options));
  const { connection } = context;
  const stream = <D extends TaskDefinition>(definition: D): StreamMethod<TaskParams<D>, TaskResult<D>> =>
    (params: TaskParams<D>, taskOptions?: TaskOptions) => executeTask(context, definition, params, taskOptions);
  const imageInference$ = stream(imageInference);
  const videoInference$ = stream(videoInference);
  const attach$ = <T extends string>(taskUUID: string, attachOptions: AttachOptions<T>) =>
    attachTask(context, taskUUID, attachOptions) as Observable<TaskEvent<ResultOf<T>>>;
  return {
    state$: connection.state$,
    connect: () => lastValueFrom(connection.open$(), { defaultValue: undefined }),
    disconnect: () => {
      // Every request ends, queued or waiting ones too, before the socket goes: none may dial
      // again. Queued ones first, so that none starts in a slot a running one frees.
      context.limiter.abortQueued(disconnectedError);
      context.requests.abortAll(disconnectedError);
      context.gate.reset();
      return connection.close();
    },
    imageInference$,
    image$: imageInference$,
    imageInference: promised(imageInference$),
    videoInference$,
    video$: videoInference$,
    videoInference: promised(videoInference$),
    attach$,
    attach: attachPromise(attach$),
  };
}

type AttachStream = <T extends string>(taskUUID: string, options: AttachOptions<T>) => Observable<TaskEvent<ResultOf<T>>>;

/** The Promise twin of `attach$`: results, or every item's outcome in `settled` mode. */
function attachPromise(attach$: AttachStream): RunwareClient['attach'] {
  function attach<T extends string>(
    taskUUID: string,
    options: AttachOptions<T> & RequestOptions & { readonly settled: true },
  ): Promise<SettledResult<ResultOf<T>>[]>;
  function attach<T extends string>(taskUUID: string, options: AttachOptions<T> & RequestOptions): Promise<ResultOf<T>[]>;
  function attach<T extends string>(
    taskUUID: string,
    options: AttachOptions<T> & RequestOptions,
  ): Promise<ResultOf<T>[] | SettledResult<ResultOf<T>>[]> {
    const events$ = attach$(taskUUID, options);
    return options.settled === true ? toSettled(events$, options.signal) : toResults(events$, options.signal);
  }
  return attach;
}

/** The Promise twin of a stream method: results, or every item's outcome in `settled` mode. */
function promised<P, R>(method: StreamMethod<P, R>): PromiseMethod<P, R> {
  function request(params: P, options: RequestOptions & { readonly settled: true }): Promise<SettledResult<R>[]>;
  function request(params: P, options?: RequestOptions): Promise<R[]>;
  function request(params: P, options?: RequestOptions): Promise<R[] | SettledResult<R>[]> {
    const events$ = method(params, options);
    return options?.settled === true ? toSettled(events$, options.signal) : toResults(events$, options?.signal);
  }
  return request;
}
