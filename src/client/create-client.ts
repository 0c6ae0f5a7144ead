import type { Connection } from '../connection/connection.js';
import { disconnectedError } from '../errors/disconnected-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { attachTask } from '../request/attach-task.js';
import type { AttachOptions } from '../request/attach-task.js';
import { notAnObject as optionsShapeIssue } from '../request/check-task-options.js';
import type { TaskContext } from '../request/task-context.js';
import type { AnyTask } from '../tasks/define-task.js';
import { warnAboutBrowserKey } from './browser-key-warning.js';
import type { DryRunOptions, RequestOptions, RunwareClient } from './client-types.js';
import { createClientConnection } from './create-client-connection.js';
import { createTaskContext } from './create-task-context.js';
import type { ResolvedOptions, RunwareOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import { CONTEXT, methodsOf, requestPromise } from './task-methods.js';
import { toTaskStatus } from './task-status.js';
import { toPromise } from './to-promise.js';

/** Options of {@link createRunwareClient}: the client options and the tasks it speaks. */
export interface RunwareClientOptions<T extends readonly AnyTask[]> extends RunwareOptions {
  /** The task definitions (from `runware-rx/tasks`) the client gets methods for. */
  readonly tasks: T;
}

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
  return clientOf(clientOptions, tasks);
}

/**
 * The client of some options and tasks; `createRunware()` comes here directly, without putting
 * its tasks into a copy of the options only to take them out again.
 *
 * @param clientOptions The client options, without `tasks`.
 * @param tasks The task definitions to make methods of.
 * @returns The client.
 */
export function clientOf<T extends readonly AnyTask[]>(clientOptions: RunwareOptions, tasks: T): RunwareClient<T[number]> {
  const resolved = resolveOptions(clientOptions);
  const connection = createClientConnection(resolved);
  warnAboutBrowserKey(resolved, connection.log);
  // What only tasks use (alarms, limits, the poll planner) is made when the first task method is
  // read: a client that is made and connected (a serverless function's, a health check's) pays
  // for its connection alone.
  let context: TaskContext | undefined;
  const contextOf = (): TaskContext => (context ??= createTaskContext(resolved, tasks, connection));
  // Dry runs go over a connection of their own, whose URL asks the server not to run anything.
  let dryContext: TaskContext | undefined;
  const { named, prototype } = methodsOf(tasks);
  const client: Record<string | symbol, unknown> = Object.assign(Object.create(prototype) as Record<string | symbol, unknown>, {
    state$: connection.state$,
    connect: () => connection.open(),
    disconnect: () => Promise.all([disconnect(connection, context), dryContext === undefined ? undefined : disconnect(dryContext.connection, dryContext)]).then(() => undefined),
    attach$: (taskUUID: string, attachOptions: AttachOptions) => attachTask(contextOf(), tasks, taskUUID, attachOptions),
    // The Promise methods take the `signal` for themselves; the request refuses one (an
    // Observable's would be ignored). The task attached to was submitted before: an abort names
    // it, and says it was sent.
    attach: (taskUUID: string, options: AttachOptions & RequestOptions) => {
      const refused = notAnObject(options, 'attach options');
      if (refused !== undefined) return refused;
      const { signal, ...attachOptions } = options;
      return toPromise(attachTask(contextOf(), tasks, taskUUID, attachOptions), { signal, settled: attachOptions.settled, taskUUID, sent: true });
    },
    getResponse$: (taskUUID: string, look: Partial<AttachOptions> = {}) => attachTask(contextOf(), tasks, taskUUID, lookOf(look), true),
    getResponse: (taskUUID: string, options: Partial<AttachOptions> & RequestOptions = {}) => {
      const refused = notAnObject(options, 'getResponse options');
      if (refused !== undefined) return refused;
      const { signal, ...look } = options;
      return toTaskStatus(taskUUID, attachTask(contextOf(), tasks, taskUUID, lookOf(look), true), signal);
    },
    dryRun: (name: string, params: never, requestOptions?: DryRunOptions) => {
      const definition = named.get(name);
      if (definition === undefined) return Promise.reject(new ValidationError('dry run', [{ path: 'task', message: `task is not one this client has: ${JSON.stringify(name)}` }]));
      const given: DryRunOptions = requestOptions ?? {};
      const refused = requestOptions === undefined ? undefined : notAnObject(requestOptions, 'request options');
      if (refused !== undefined) return refused;
      // Outcomes are not what a dry run resolves: its one answer is, typed as DryRunResult.
      if ((given as RequestOptions).settled !== undefined) return Promise.reject(new ValidationError('dry run', [{ path: 'settled', message: 'settled is not an option of dryRun, which resolves its one priced answer or rejects' }]));
      if (dryContext === undefined) {
        const dry = dryRunOptions(resolved);
        dryContext = createTaskContext(dry, tasks, createClientConnection(dry));
      }
      return requestPromise(dryContext, definition, params, given).then((items) => items[0]);
    },
  });
  client[CONTEXT] = contextOf;
  return client as unknown as RunwareClient<T[number]>;
}

/**
 * What `getResponse` looks for: the task's type when given, else any result. Options that are not
 * an object are passed on as they are, for the attach check to refuse in words.
 */
function lookOf(look: Partial<AttachOptions>): AttachOptions {
  if (optionsShapeIssue(look, 'getResponse options') !== undefined) return look as AttachOptions;
  return { ...look, taskType: look.taskType ?? 'getResponse' };
}

/**
 * Options from plain JavaScript that are not an object, refused as the request's own check
 * refuses them (the Promise methods take their `signal` out before that check runs).
 */
function notAnObject(options: unknown, what: string): Promise<never> | undefined {
  const issue = optionsShapeIssue(options, what);
  return issue === undefined ? undefined : Promise.reject(new ValidationError(what, [issue]));
}

/** The options of the dry-run connection: the same, with `dryRun=1` in the URL (§10.6). */
function dryRunOptions(resolved: ResolvedOptions): ResolvedOptions {
  const url = new URL(resolved.url);
  url.searchParams.set('dryRun', '1');
  return { ...resolved, url: url.toString(), dryRun: true };
}

/**
 * Ends every request, queued or waiting ones too, before the socket goes: none may dial again.
 * Queued ones first, so that none starts in a slot a running one frees. A client that never read
 * a task method nor attached to a task has only its connection to close.
 */
function disconnect(connection: Connection, context: TaskContext | undefined): Promise<void> {
  if (context !== undefined) {
    context.limiter.abortQueued(disconnectedError);
    context.requests.abortAll(disconnectedError);
    context.gate.reset();
  }
  return connection.close();
}
