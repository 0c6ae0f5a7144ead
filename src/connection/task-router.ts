import { ProtocolError } from '../errors/protocol-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem, InboundFrame, MalformedItem } from '../protocol/frames.js';

/**
 * What a task listens with: plain callbacks, called synchronously. A route is in the hot path of
 * every task, so it holds functions rather than a Subject and an operator chain per task.
 */
export interface RouteListener {
  /** A frame with a task of this taskUUID was written to the socket. */
  sent(): void;
  /** A frame carried items for this taskUUID; `at` is when it arrived (scheduler time). */
  reply(data: readonly DataItem[], errors: readonly ErrorItem[], at: number): void;
  /** The connection gave up or was closed, or an item for this task could not be read. */
  fail(error: RunwareError): void;
}

/** One taskUUID's place in the router while anyone listens to it. */
export interface Route {
  readonly taskUUID: string;
  readonly listeners: RouteListener[];
  /** The last task text written for this taskUUID that no reply has answered yet. */
  pending: string | undefined;
  /** The submission as first written: re-sent if the server starts a new session. */
  submission: string | undefined;
  /** Set once nobody listens any more; queued frames for it are dropped. */
  closed: boolean;
  /** Items of the frame being dispatched, gathered before the listeners are called. */
  inbox: Inbox | undefined;
}

interface Inbox {
  readonly data: DataItem[];
  errors: ErrorItem[];
}

/** Most replies carry no error: they share this array until one does. */
const NO_ERRORS: ErrorItem[] = [];

/** What the router did with a frame's items that it could not deliver. */
export interface DispatchOutcome {
  /** Error items without a taskUUID: they belong to no task and fail none. */
  readonly unroutable: readonly ErrorItem[];
  /** How many items of the frame belong to taskUUIDs nobody listens to (finished, cancelled, or never ours). */
  readonly unknown: number;
  /** Unreadable items that name no task listened to: they fail none. */
  readonly unclaimed: readonly MalformedItem[];
  /** Tasks failed because their listener threw while reading the frame, with what it threw. */
  readonly thrown: readonly { readonly taskUUID: string; readonly error: unknown }[];
}

const NOTHING: readonly never[] = [];

/** Routes inbound items to the listeners of their taskUUID. */
export interface TaskRouter {
  /** Joins the route of a taskUUID, creating it for the first listener. */
  join(taskUUID: string, listener: RouteListener): Route;
  /** Leaves a route; the last listener to leave closes it. */
  leave(route: Route, listener: RouteListener): void;
  /** Delivers a frame's items, grouped per taskUUID; `at` stamps the arrival. */
  dispatch(frame: InboundFrame, at: number): DispatchOutcome;
  /** Tells every listener that its frame went out. */
  sent(route: Route): void;
  /** Fails every listener (the connection gave up or was closed). */
  failAll(error: RunwareError): void;
  /** The routes of every taskUUID listened to, for re-sending after a reconnect. */
  routes(): IterableIterator<Route>;
  /** How many taskUUIDs are listened to. */
  readonly size: number;
}

/**
 * Creates the router: a map from taskUUID to its listeners. A frame's items are gathered in an
 * inbox on each route and each route receives its inbox once, so a frame of ten thousand results
 * costs ten thousand map look-ups, not ten thousand filters per task. Several listeners may share a
 * taskUUID (a task and an `attach` to it): they see the same replies. An unreadable item fails
 * the listeners of the taskUUID it names. A listener that throws is failed with a typed error
 * (and reported, for the log); the delivery to the others goes on.
 *
 * @returns An empty router.
 */
export function createTaskRouter(): TaskRouter {
  const routes = new Map<string, Route>();
  return {
    join(taskUUID, listener) {
      const route = routes.get(taskUUID);
      if (route !== undefined) {
        route.listeners.push(listener);
        return route;
      }
      const created: Route = { taskUUID, listeners: [listener], pending: undefined, submission: undefined, closed: false, inbox: undefined };
      routes.set(taskUUID, created);
      return created;
    },
    leave(route, listener) {
      const index = route.listeners.indexOf(listener);
      if (index >= 0) route.listeners.splice(index, 1);
      if (route.listeners.length > 0) return;
      route.closed = true;
      if (routes.get(route.taskUUID) === route) routes.delete(route.taskUUID);
    },
    dispatch(frame, at) {
      let unknown = 0;
      let unroutable: ErrorItem[] | undefined;
      let unclaimed: MalformedItem[] | undefined;
      let thrown: { taskUUID: string; error: unknown }[] | undefined;
      const touched: Route[] = [];
      for (const item of frame.data) {
        if (item.taskUUID === undefined) continue;
        const route = routes.get(item.taskUUID);
        if (route === undefined) unknown += 1;
        else if (route.inbox !== undefined) route.inbox.data.push(item);
        else {
          route.inbox = { data: [item], errors: NO_ERRORS };
          touched.push(route);
        }
      }
      for (const item of frame.errors) {
        const route = item.taskUUID === undefined ? undefined : routes.get(item.taskUUID);
        if (item.taskUUID === undefined) (unroutable ??= []).push(item);
        else if (route === undefined) unknown += 1;
        else if (route.inbox === undefined) {
          route.inbox = { data: [], errors: [item] };
          touched.push(route);
        } else if (route.inbox.errors === NO_ERRORS) route.inbox.errors = [item];
        else route.inbox.errors.push(item);
      }
      for (const route of touched) {
        const { data, errors } = route.inbox ?? { data: [], errors: NO_ERRORS };
        route.inbox = undefined;
        route.pending = undefined;
        for (const listener of copyIfShared(route.listeners)) {
          try {
            listener.reply(data, errors, at);
          } catch (error) {
            (thrown ??= []).push({ taskUUID: route.taskUUID, error });
            failSafely(listener, new ProtocolError('runware-rx could not read a reply for this task.', { data, errors }, { taskUUID: route.taskUUID, cause: error }));
          }
        }
      }
      for (const item of frame.malformed ?? NOTHING) {
        const route = item.taskUUID === undefined ? undefined : routes.get(item.taskUUID);
        if (route === undefined) {
          (unclaimed ??= []).push(item);
          continue;
        }
        for (const listener of [...route.listeners]) {
          failSafely(listener, new ProtocolError(`The server sent an item for this task that cannot be read: ${item.reason}.`, item.raw, { taskUUID: route.taskUUID }));
        }
      }
      return { unroutable: unroutable ?? NOTHING, unknown, unclaimed: unclaimed ?? NOTHING, thrown: thrown ?? NOTHING };
    },
    sent(route) {
      for (const listener of copyIfShared(route.listeners)) listener.sent();
    },
    failAll(error) {
      for (const route of [...routes.values()]) for (const listener of [...route.listeners]) listener.fail(error);
    },
    routes: () => routes.values(),
    get size() {
      return routes.size;
    },
  };
}

/** Fails a listener; one whose failure handling throws too has nothing more to be told. */
function failSafely(listener: RouteListener, error: RunwareError): void {
  try {
    listener.fail(error);
  } catch {
    // The listener is broken beyond reporting; the others must still be served.
  }
}

/** A listener may leave while being called; iterate over a copy when there are several. */
function copyIfShared(listeners: RouteListener[]): readonly RouteListener[] {
  return listeners.length === 1 ? listeners : [...listeners];
}
