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
  /**
   * The taskType its answers carry, for a task sent under another task's taskUUID (a look-up,
   * `getTaskDetails`): items of that taskType go to this route, the rest to the task's own.
   */
  readonly answeredAs: string | undefined;
  readonly listeners: RouteListener[];
  /** The last task text written for this taskUUID that no reply has answered yet. */
  pending: string | undefined;
  /** The submission as first written: re-sent if the server starts a new session. */
  submission: string | undefined;
  /** Set once nobody listens any more; queued frames for it are dropped. */
  closed: boolean;
  /**
   * The frame that last carried this task on the present socket, until a reply answers it (which
   * shows the server read that frame). Kept when nobody listens any more: a frame whose task was
   * cancelled may still be the one the server refused.
   */
  frame?: WrittenFrame | undefined;
  /** The task goes alone in its frames: a frame it was in was refused whole (see frame-refusals.ts). */
  alone?: boolean;
  /** Data items of the frame being dispatched, gathered before the listeners are called. */
  inbox: DataItem[] | undefined;
  /** Error items of the frame being dispatched (most replies share the empty NO_ERRORS). */
  inboxErrors: ErrorItem[];
}

/** A frame written to the socket, and whether any reply has answered one of its tasks yet. */
export interface WrittenFrame {
  answered: boolean;
  /** The routes of the tasks it carried. */
  readonly routes: Route[];
  /** The count of its socket's frames not answered yet, which its answer lowers; set when it is counted. */
  tally?: { unanswered: number } | undefined;
}

const NOTHING: readonly never[] = [];

/** Most replies carry no error: they share this array until one does. */
const NO_ERRORS: ErrorItem[] = [];
/** A reply of errors only: nothing is pushed to it (data items are gathered first). */
const NO_DATA: DataItem[] = [];

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
   * The route of an error: as an item's, except that an error naming no taskType (servers often
   * omit it on errors) goes to a look-up under its taskUUID that waits for an answer, if one does.
   */
  const errorRouteOf = (taskUUID: string, taskType: string | undefined): Route | undefined => {
    if (taskType !== undefined || lookups.size === 0) return routeOf(taskUUID, taskType);
    for (const answeredAs of lookups.keys()) {
      const lookup = routes.get(lookupKey(answeredAs, taskUUID));
      if (lookup?.pending !== undefined) return lookup;
    }
    return routes.get(taskUUID);
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
        const route = item.taskUUID === undefined ? undefined : errorRouteOf(item.taskUUID, item.taskType);
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

/**
 * Hands a route the items gathered for it and empties its inbox. A listener that throws is
 * failed with a typed error (and reported), and the others are still served.
 */
function deliver(route: Route, at: number, thrown: { taskUUID: string; error: unknown }[] | undefined): { taskUUID: string; error: unknown }[] | undefined {
  const data = route.inbox ?? NO_DATA;
  const errors = route.inboxErrors;
  route.inbox = undefined;
  route.inboxErrors = NO_ERRORS;
  route.pending = undefined;
  answered(route);
  const listeners = copyIfShared(route.listeners);
  for (let index = 0; index < listeners.length; index += 1) {
    const listener = listeners[index]!;
    try {
      listener.reply(data, errors, at);
    } catch (error) {
      (thrown ??= []).push({ taskUUID: route.taskUUID, error });
      failSafely(listener, new ProtocolError('runware-rx could not read a reply for this task.', { data, errors }, { taskUUID: route.taskUUID, cause: error }));
    }
  }
  return thrown;
}

/** A reply for this route came: the server read the frame that last carried its task. */
function answered(route: Route): void {
  const { frame } = route;
  if (frame === undefined) return;
  route.frame = undefined;
  if (frame.answered) return;
  frame.answered = true;
  if (frame.tally !== undefined) frame.tally.unanswered -= 1;
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
