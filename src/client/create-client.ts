import type { Observable } from 'rxjs';
import { lastValueFrom } from 'rxjs';
import { disconnectedError } from '../errors/disconnected-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import { attachTask } from '../request/attach-task.js';
import type { AttachOptions } from '../request/attach-task.js';
import { executeTask } from '../request/execute-task.js';
import type { TaskContext } from '../request/task-context.js';
import type { TaskOptions } from '../request/task-plan.js';
import type { AnyTask } from '../tasks/define-task.js';
import type { RequestOptions, RunwareClient } from './client-types.js';
import { createTaskContext } from './create-task-context.js';
import type { RunwareOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import { toPromise } from './to-promise.js';

/** Options of {@link createRunwareClient}: the client options and the tasks it speaks. */
export interface RunwareClientOptions<T extends readonly AnyTask[]> extends RunwareOptions {
  /** The task definitions (from `runware-rx/tasks`) the client gets methods for. */
  readonly tasks: T;
}

const BASE_MEMBERS = new Set(['state$', 'connect', 'disconnect', 'attach', 'attach$']);

/**
 * Creates a client that speaks only the tasks it is given, so that a browser bundle carries only
 * their schemas. `createRunware()` is this client with every task.
 *
 * @param options The client options, and `tasks`: the definitions to make methods of.
 * @returns The client.
 * @throws {ValidationError} When an option is wrong, or two tasks claim one method name.
 *
 * @example
 * ```ts
 * import { createRunwareClient } from 'runware-rx';
 * import { imageInference, videoInference } from 'runware-rx/tasks';
 *
 * const runware = createRunwareClient({ apiKey, tasks: [imageInference, videoInference] });
 * const [image] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse' });
 * ```
 */
export function createRunwareClient<const T extends readonly AnyTask[]>(options: RunwareClientOptions<T>): RunwareClient<T[number]> {
  const { tasks, ...clientOptions } = options;
  const context = createTaskContext(resolveOptions(clientOptions), tasks);
  const client: Record<string, unknown> = {
    state$: context.connection.state$,
    connect: () => lastValueFrom(context.connection.open$(), { defaultValue: undefined }),
    disconnect: () => disconnect(context),
    attach$: (taskUUID: string, attachOptions: AttachOptions) => attachTask(context, tasks, taskUUID, attachOptions),
    attach: (taskUUID: string, attachOptions: AttachOptions & RequestOptions) => toPromise(attachTask(context, tasks, taskUUID, attachOptions), attachOptions),
  };
  for (const definition of tasks) {
    const stream = (params: never, taskOptions?: TaskOptions): Observable<TaskEvent<unknown, unknown>> => executeTask(context, definition, params, taskOptions);
    const promise = (params: never, requestOptions?: RequestOptions): Promise<unknown[]> => {
      // A request that can be aborted gets its taskUUID now, so that the aborted error names it.
      const options = requestOptions?.signal !== undefined && requestOptions.taskUUID === undefined ? { ...requestOptions, taskUUID: newTaskUUID() } : requestOptions;
      return toPromise(stream(params, options), options);
    };
    for (const name of [definition.name, ...definition.aliases]) {
      if (BASE_MEMBERS.has(name) || name in client) {
        throw new ValidationError('client options', [{ path: 'tasks', message: `two tasks, or a task and the client, claim the method name "${name}"` }]);
      }
      client[name] = promise;
      client[`${name}$`] = stream;
    }
  }
  return client as RunwareClient<T[number]>;
}

/**
 * Ends every request, queued or waiting ones too, before the socket goes: none may dial again.
 * Queued ones first, so that none starts in a slot a running one frees.
 */
function disconnect(context: TaskContext): Promise<void> {
  context.limiter.abortQueued(disconnectedError);
  context.requests.abortAll(disconnectedError);
  context.gate.reset();
  return context.connection.close();
}
