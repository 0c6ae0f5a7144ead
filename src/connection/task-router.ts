import { ProtocolError } from '../errors/protocol-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { ErrorItem, InboundFrame, MalformedItem } from '../protocol/frames.js';
import type { DispatchOutcome, Route, RouteListener } from './route.js';
import { NO_DATA, NO_ERRORS, answered, deliver, failSafely, copyIfShared } from './route-delivery.js';

const NOTHING: readonly never[] = [];

/** Routes inbound items to the listeners of their taskUUID. */
export interface TaskRouter {
  /**
   * Joins the route of a taskUUID, creating it for the first listener; with `answeredAs`, the
   * route of the look-up under that taskUUID whose answers carry that taskType.
   */
  join(taskUUID: string, listener: RouteListener, answeredAs?: string): Route;
  /** Leaves a route; the last listener to leave closes it. */
  leave(route: Route, listener: RouteListener): void;
  /** Delivers a frame's items, grouped per taskUUID; `at` stamps the arrival. */
  dispatch(frame: InboundFrame, at: number): DispatchOutcome;
  /** Tells every listener that its frame went out. */
  sent(route: Route): void;
  /** Fails every listener (the connection gave up or was closed). */
  failAll(error: RunwareError): void;
  /**
   * The listeners now, to be failed later: what fails them then spares a listener that joined
   * since (a task submitted while the end of the link is being told) and one that left.
   */
  failing(): (error: RunwareError) => void;
  /** The routes of every taskUUID listened to, for re-sending after a reconnect. */
  routes(): IterableIterator<Route>;
  /** How many taskUUIDs are listened to. */
  size(): number;
}

/**
 * Creates the router: a map from taskUUID to its listeners. A frame's items are gathered in an
 * inbox on each route and each route receives its inbox once, so a frame of ten thousand results
 * costs ten thousand map look-ups, not ten thousand filters per task. Several listeners may share a
 * taskUUID (a task and an `attach` to it): they see the same replies. A look-up sent under a
 * task's taskUUID (`getTaskDetails`) has a route of its own beside the task's, which gets the
 * items of its taskType, so neither reads the other's answers. An unreadable item fails
 * the listeners of the taskUUID it names. A listener that throws is failed with a typed error
 * (and reported, for the log); the delivery to the others goes on.
 *
 * @returns An empty router.
 */
export function createTaskRouter(): TaskRouter {
  const routes = new Map<string, Route>();
  /** The taskTypes of the look-ups listened to, and how many routes each has. */
  const lookups = new Map<string, number>();
  /** The route an item goes to: a look-up's when it carries a look-up's taskType, else its task's. */
  const routeOf = (taskUUID: string, taskType: string | undefined): Route | undefined =>
    routes.get(lookups.size === 0 || taskType === undefined || !lookups.has(taskType) ? taskUUID : lookupKey(taskType, taskUUID));
  /**
   * The route of an error: as an item's, except that one naming no taskType (servers often omit
   * it on errors) under a task that a look-up waiting for an answer shares goes to the task when
   * only a task's answer carries such an error, and to the look-up otherwise.
   */
  const errorRouteOf = (item: ErrorItem, taskUUID: string): Route | undefined => {
    const { taskType } = item;
    if (taskType !== undefined || lookups.size === 0) return routeOf(taskUUID, taskType);
    const task = routes.get(taskUUID);
    // Only a task's answers report a failed generation (§5.3) or a conflict on its taskUUID (a
    // look-up goes under its target's on purpose).
    if (task !== undefined && (item.status === 'error' || item.code === 'conflictTaskUUID')) return task;
    // Otherwise nothing shows which one the server answered (unconfirmed), not even the frame:
    // one frame may carry both answers (§1.4). The look-up is the safe side: failed by mistake, it
    // is a read to make again; the task failed by mistake would be lost while it runs and is
    // billed, and the answer it misses comes again (a poll's is the whole state, a re-sent
    // submission is answered conflictTaskUUID and polled) at its deadline.
    for (const answeredAs of lookups.keys()) {
      const lookup = routes.get(lookupKey(answeredAs, taskUUID));
      if (lookup?.pending !== undefined) return lookup;
    }
    return task;
  };
  return {
    join(taskUUID, listener, answeredAs) {
      const key = answeredAs === undefined ? taskUUID : lookupKey(answeredAs, taskUUID);
      const route = routes.get(key);
      if (route !== undefined) {
        route.listeners.push(listener);
        return route;
      }
      const created: Route = { taskUUID, answeredAs, listeners: [listener], pending: undefined, submission: undefined, closed: false, frame: undefined, alone: false, inbox: undefined, inboxErrors: NO_ERRORS };
      routes.set(key, created);
      if (answeredAs !== undefined) lookups.set(answeredAs, (lookups.get(answeredAs) ?? 0) + 1);
      return created;
    },
    leave(route, listener) {
      const index = route.listeners.indexOf(listener);
      if (index >= 0) route.listeners.splice(index, 1);
      if (route.listeners.length > 0 || route.closed) return;
      route.closed = true;
      // A closed route may still be referred to (the outbox's record of a socket's largest frame):
      // it lets go of its task's text, which may be megabytes of inline media.
      route.pending = route.submission = undefined;
      const { answeredAs, taskUUID } = route;
      const key = answeredAs === undefined ? taskUUID : lookupKey(answeredAs, taskUUID);
      if (routes.get(key) !== route) return;
      routes.delete(key);
      if (answeredAs === undefined) return;
      const left = (lookups.get(answeredAs) ?? 1) - 1;
      if (left === 0) lookups.delete(answeredAs);
      else lookups.set(answeredAs, left);
    },
    dispatch(frame, at) {
      // Runs for every inbound frame: indexed loops, and no array unless the frame names more
      // than one task (with one frame per result, most name one).
      let unknown = 0;
      let unroutable: ErrorItem[] | undefined;
      let unclaimed: MalformedItem[] | undefined;
      let thrown: { taskUUID: string; error: unknown }[] | undefined;
      let first: Route | undefined;
      let others: Route[] | undefined;
      const { data, errors } = frame;
      for (let index = 0; index < data.length; index += 1) {
        const item = data[index]!;
        if (item.taskUUID === undefined) continue;
        const route = routeOf(item.taskUUID, item.taskType);
        if (route === undefined) unknown += 1;
        else if (route.inbox !== undefined) route.inbox.push(item);
        else {
          route.inbox = [item];
          if (first === undefined) first = route;
          else (others ??= []).push(route);
        }
      }
      for (let index = 0; index < errors.length; index += 1) {
        const item = errors[index]!;
        const route = item.taskUUID === undefined ? undefined : errorRouteOf(item, item.taskUUID);
        if (item.taskUUID === undefined) (unroutable ??= []).push(item);
        else if (route === undefined) unknown += 1;
        else {
          if (route.inbox === undefined) {
            route.inbox = NO_DATA;
            if (first === undefined) first = route;
            else (others ??= []).push(route);
          }
          if (route.inboxErrors === NO_ERRORS) route.inboxErrors = [item];
          else route.inboxErrors.push(item);
        }
      }
      if (first !== undefined) thrown = deliver(first, at, thrown);
      if (others !== undefined) for (let index = 0; index < others.length; index += 1) thrown = deliver(others[index]!, at, thrown);
      const { malformed } = frame;
      if (malformed !== undefined) {
        for (const item of malformed) {
          const route = item.taskUUID === undefined ? undefined : routes.get(item.taskUUID);
          if (route === undefined) {
            (unclaimed ??= []).push(item);
            continue;
          }
          answered(route);
          for (const listener of [...route.listeners]) {
            failSafely(listener, new ProtocolError(`The server sent an item for this task that cannot be read: ${item.reason}.`, item.raw, { taskUUID: route.taskUUID }));
          }
        }
      }
      if (unknown === 0 && unroutable === undefined && unclaimed === undefined && thrown === undefined) return DELIVERED;
      return { unroutable: unroutable ?? NOTHING, unknown, unclaimed: unclaimed ?? NOTHING, thrown: thrown ?? NOTHING };
    },
    sent(route) {
      for (const listener of copyIfShared(route.listeners)) listener.sent();
    },
    failAll: (error) => failing(routes)(error),
    failing: () => failing(routes),
    routes: () => routes.values(),
    // A method, not a getter: an object literal with an accessor is built by the runtime's slow
    // path (~3 µs here, every time a client is made), one with only methods is copied from a template.
    size: () => routes.size,
  };
}

/** Takes the listeners of every route now; what it returns fails those still listening then. */
function failing(routes: Map<string, Route>): (error: RunwareError) => void {
  const taken = [...routes.values()].map((route) => [route, [...route.listeners]] as const);
  return (error) => {
    for (const [route, listeners] of taken) for (const listener of listeners) if (route.listeners.includes(listener)) listener.fail(error);
  };
}

/** Where a look-up's route is kept: beside its target's, never equal to a taskUUID. */
function lookupKey(taskType: string, taskUUID: string): string {
  return `${taskType}\u0000${taskUUID}`;
}

/** The outcome of a frame whose every item reached its task. */
const DELIVERED: DispatchOutcome = { unroutable: NOTHING, unknown: 0, unclaimed: NOTHING, thrown: NOTHING };
