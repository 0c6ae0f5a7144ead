import { Subject } from 'rxjs';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem, InboundFrame } from '../protocol/frames.js';

/** What reaches one task: its frame went out, or a frame carried items for it. */
export type TaskReply =
  | { readonly type: 'sent' }
  | { readonly type: 'reply'; readonly data: readonly DataItem[]; readonly errors: readonly ErrorItem[] };

/** Ends a listener with an error (the connection gave up or was closed). */
export type FailListener = (error: RunwareError) => void;

/** One taskUUID's place in the router while anyone listens to it. */
export interface Route {
  readonly taskUUID: string;
  /** Every reply for this taskUUID, shared by all its listeners. */
  readonly replies: Subject<TaskReply>;
  readonly listeners: Set<FailListener>;
  /** The last task text written for this taskUUID that no reply has answered yet. */
  pending: string | undefined;
  /** The submission as first written: re-sent if the server starts a new session. */
  submission: string | undefined;
  /** Set once nobody listens any more; queued frames for it are dropped. */
  closed: boolean;
}

/** What the router did with a frame's items that it could not deliver. */
export interface DispatchOutcome {
  /** Error items without a taskUUID: they belong to no task and fail none. */
  readonly unroutable: readonly ErrorItem[];
  /** Items for taskUUIDs nobody listens to (finished, cancelled, or never ours). */
  readonly unknown: number;
}

/** Routes inbound items to the listeners of their taskUUID. */
export interface TaskRouter {
  /** Joins the route of a taskUUID, creating it for the first listener. */
  join(taskUUID: string, fail: FailListener): Route;
  /** Leaves a route; the last listener to leave closes it. */
  leave(route: Route, fail: FailListener): void;
  dispatch(frame: InboundFrame): DispatchOutcome;
  failAll(error: RunwareError): void;
  routes(): IterableIterator<Route>;
  readonly size: number;
}

interface Group {
  data: DataItem[];
  errors: ErrorItem[];
}

/**
 * Creates the router: a map from taskUUID to its listeners. A frame's items are grouped by
 * taskUUID and each route receives its group once, so a frame of ten thousand results costs ten
 * thousand map look-ups, not ten thousand filters per task. Several listeners may share a
 * taskUUID (a task and an `attach` to it): they share one route and see the same replies.
 *
 * @returns An empty router.
 */
export function createTaskRouter(): TaskRouter {
  const routes = new Map<string, Route>();
  const deliver = (route: Route, reply: TaskReply): void => {
    route.pending = undefined;
    try {
      route.replies.next(reply);
    } catch {
      // A listener that throws must not stop the others in the same frame.
    }
  };
  return {
    join(taskUUID, fail) {
      let route = routes.get(taskUUID);
      if (route === undefined) {
        route = { taskUUID, replies: new Subject(), listeners: new Set(), pending: undefined, submission: undefined, closed: false };
        routes.set(taskUUID, route);
      }
      route.listeners.add(fail);
      return route;
    },
    leave(route, fail) {
      route.listeners.delete(fail);
      if (route.listeners.size > 0) return;
      route.closed = true;
      if (routes.get(route.taskUUID) === route) routes.delete(route.taskUUID);
    },
    dispatch(frame) {
      let unknown = 0;
      const unroutable: ErrorItem[] = [];
      for (const [taskUUID, group] of groupByTask(frame, unroutable)) {
        const route = routes.get(taskUUID);
        if (route === undefined) unknown += 1;
        else deliver(route, { type: 'reply', data: group.data, errors: group.errors });
      }
      return { unroutable, unknown };
    },
    failAll(error) {
      for (const route of [...routes.values()]) for (const fail of [...route.listeners]) fail(error);
    },
    routes: () => routes.values(),
    get size() {
      return routes.size;
    },
  };
}

function groupByTask(frame: InboundFrame, unroutable: ErrorItem[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  const groupOf = (taskUUID: string): Group => {
    let group = groups.get(taskUUID);
    if (group === undefined) {
      group = { data: [], errors: [] };
      groups.set(taskUUID, group);
    }
    return group;
  };
  for (const item of frame.data) if (item.taskUUID !== undefined) groupOf(item.taskUUID).data.push(item);
  for (const item of frame.errors) {
    if (item.taskUUID === undefined) unroutable.push(item);
    else groupOf(item.taskUUID).errors.push(item);
  }
  return groups;
}
