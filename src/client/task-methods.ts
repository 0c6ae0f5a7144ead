import type { Observable, Subscriber } from 'rxjs';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import { executeTask, startRequest } from '../request/execute-task.js';
import type { TaskContext } from '../request/task-context.js';
import type { TaskOptions } from '../request/task-plan.js';
import type { AnyTask } from '../tasks/define-task.js';
import type { RequestOptions } from './client-types.js';
import { toPromise } from './to-promise.js';

/*
 * A client's task methods: a Promise method and a `$` stream twin for every name of its tasks,
 * made the first time each is read, on a prototype shared by every client of the same tasks.
 */

/** The client's own members, which no task may take as a method name. */
const BASE_MEMBERS = new Set(['state$', 'connect', 'disconnect', 'attach', 'attach$', 'getResponse', 'getResponse$', 'dryRun']);

/** Where a client keeps how to get the context its task methods are made with. */
export const CONTEXT = Symbol('runware-rx context');

/** A task's Observable method for a client. */
function streamMethod(context: TaskContext, definition: AnyTask) {
  return (params: never, taskOptions?: TaskOptions): Observable<TaskEvent<unknown, unknown>> => executeTask(context, definition, params, taskOptions);
}

/** A task's Promise method for a client. */
function promiseMethod(context: TaskContext, definition: AnyTask) {
  return (params: never, requestOptions?: RequestOptions): Promise<unknown[]> => requestPromise(context, definition, params, requestOptions);
}

/**
 * Runs one request of a task for a Promise (a task method's, a dry run's): its result items, or
 * their outcomes (`settled`).
 *
 * @param context The client's connection, alarms, limits and policies.
 * @param definition The task type.
 * @param params The caller's parameters.
 * @param requestOptions The request's options, with the Promise's `signal`.
 * @returns The result items, or their outcomes.
 */
export function requestPromise(context: TaskContext, definition: AnyTask, params: never, requestOptions: RequestOptions | undefined): Promise<unknown[]> {
  // Anything but an object (plain JavaScript may pass one) is refused by the request's option check.
  if (typeof requestOptions !== 'object' || requestOptions === null || !('signal' in requestOptions)) {
    return toPromise((subscriber: Subscriber<TaskEvent<unknown, unknown>>) => startRequest(context, definition, params, requestOptions, subscriber), requestOptions);
  }
  // The signal is the Promise's own (the request refuses one, as an Observable's would be
  // ignored). A request that can be aborted gets its taskUUID now, so that the abort names it;
  // a task about another task (getTaskDetails) goes under that one's, which it names. That one
  // is a parameter, read (once, like every parameter) by the request as it starts, which then
  // names it: here it is read only when the request never starts, its signal aborted already.
  const { signal, ...taskOptions } = requestOptions;
  const { targets } = definition;
  const chosen = signal === undefined || targets !== undefined || taskOptions.taskUUID !== undefined ? taskOptions : { ...taskOptions, taskUUID: newTaskUUID() };
  const named = targets === undefined ? chosen.taskUUID : () => targetOf(params, targets);
  return toPromise((subscriber: Subscriber<TaskEvent<unknown, unknown>>) => startRequest(context, definition, params, chosen, subscriber), { signal, settled: chosen.settled, taskUUID: named });
}

/** The taskUUID of the task a request is about, when its parameters give one (the request checks them). */
function targetOf(params: unknown, field: string): string | undefined {
  const target = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[field] : undefined;
  return typeof target === 'string' ? target : undefined;
}

/** The method names of a list of tasks, and the prototype of its clients; made once per list. */
const clientShapes = new WeakMap<readonly AnyTask[], { readonly named: Map<string, AnyTask>; readonly prototype: object }>();

/**
 * The method names of a list of tasks and a prototype for its clients, whose accessors make a
 * client's method the first time it is read and keep it on the client (so a method read twice, or
 * destructured, is the same function). A client of every task type then costs its few members,
 * not two closures for each of a hundred-odd names, most of which it never calls.
 */
export function methodsOf(tasks: readonly AnyTask[]): { readonly named: Map<string, AnyTask>; readonly prototype: object } {
  const known = clientShapes.get(tasks);
  if (known !== undefined) return known;
  const named = methodNames(tasks);
  const prototype = {};
  for (const [name, definition] of named) {
    lazyMethod(prototype, name, (context) => promiseMethod(context, definition));
    lazyMethod(prototype, `${name}$`, (context) => streamMethod(context, definition));
  }
  const shape = { named, prototype };
  clientShapes.set(tasks, shape);
  return shape;
}

function lazyMethod(prototype: object, key: string, make: (context: TaskContext) => unknown): void {
  Object.defineProperty(prototype, key, {
    configurable: true,
    get(this: Record<string | symbol, unknown>) {
      const contextOf = this[CONTEXT] as (() => TaskContext) | undefined;
      if (contextOf === undefined) return undefined;
      const method = make(contextOf());
      Object.defineProperty(this, key, { value: method, writable: true, configurable: true, enumerable: true });
      return method;
    },
  });
}

/** Every method name of the tasks, with its task; a name claimed twice is a mistake in the tasks given. */
function methodNames(tasks: readonly AnyTask[]): Map<string, AnyTask> {
  const named = new Map<string, AnyTask>();
  for (const definition of tasks) {
    for (const name of [definition.name, ...definition.aliases]) {
      if (BASE_MEMBERS.has(name) || named.has(name)) {
        throw new ValidationError('client options', [{ path: 'tasks', message: `two tasks, or a task and the client, claim the method name "${name}"` }]);
      }
      named.set(name, definition);
    }
  }
  return named;
}
