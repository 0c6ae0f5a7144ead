import { lastValueFrom } from 'rxjs';
import { createConnection } from '../connection/create-connection.js';
import type { TaskOptions } from '../request/execute-task.js';
import { executeTask } from '../request/execute-task.js';
import { createPollClock } from '../request/poll-clock.js';
import type { TaskContext } from '../request/task-context.js';
import type { TaskDefinition, TaskParams, TaskResult } from '../tasks/define-task.js';
import { imageInference } from '../tasks/image-inference.js';
import { videoInference } from '../tasks/video-inference.js';
import { defaultWebSocket } from '../transport/default-socket.js';
import type { RunwareOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import type { PromiseMethod, RequestOptions, RunwareClient, StreamMethod } from './runware-client.js';
import { toResultPromise } from './to-promise.js';

/** Outbound frames are split beyond this many characters (about 1 MB). */
const MAX_FRAME_LENGTH = 1_000_000;
/** Polls due within this many ms of each other share a frame. */
const POLL_TICK_MS = 50;

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
  const resolved = resolveOptions(options);
  const connection = createConnection({
    url: resolved.url,
    apiKey: resolved.apiKey,
    WebSocket: resolved.WebSocket ?? defaultWebSocket(),
    authTimeout: resolved.authTimeout,
    heartbeat: { interval: resolved.heartbeatInterval, timeout: resolved.heartbeatTimeout },
    reconnect: {
      initialDelay: resolved.retryDelay,
      maxDelay: 30_000,
      jitter: Math.min(resolved.retryDelay, 1000),
      attempts: resolved.maxReconnectAttempts,
    },
    maxFrameLength: MAX_FRAME_LENGTH,
    log: resolved.logger,
  });
  const context: TaskContext = {
    connection,
    wait: createPollClock(POLL_TICK_MS),
    policy: {
      syncTimeout: resolved.syncTimeout,
      asyncTimeout: resolved.asyncTimeout,
      ackTimeout: resolved.ackTimeout,
      pollTimeout: resolved.pollTimeout,
      pollRetries: 3,
      maxRetries: resolved.maxRetries,
      retryDelay: resolved.retryDelay,
      poll: { first: resolved.pollInterval, factor: 1.5, max: 10_000, min: 100 },
    },
  };
  const stream = <D extends TaskDefinition>(definition: D): StreamMethod<TaskParams<D>, TaskResult<D>> =>
    (params: TaskParams<D>, taskOptions?: TaskOptions) => executeTask(context, definition, params, taskOptions);
  const promise = <P, R>(method: StreamMethod<P, R>): PromiseMethod<P, R> =>
    (params: P, requestOptions?: RequestOptions) => toResultPromise(method(params, requestOptions), requestOptions?.signal);

  const imageInference$ = stream(imageInference);
  const videoInference$ = stream(videoInference);
  return {
    state$: connection.state$,
    connect: () => lastValueFrom(connection.open$(), { defaultValue: undefined }),
    disconnect: () => {
      connection.close();
      return Promise.resolve();
    },
    imageInference$,
    image$: imageInference$,
    imageInference: promise(imageInference$),
    videoInference$,
    video$: videoInference$,
    videoInference: promise(videoInference$),
  };
}
