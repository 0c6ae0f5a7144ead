import { Subject } from 'rxjs';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem, InboundFrame } from '../protocol/frames.js';

/** What reaches one task: its frame went out, or a frame carried items for it. */
export type TaskReply =
  | { readonly type: 'sent' }
  | { readonly type: 'reply'; readonly data: readonly DataItem[]; readonly errors: readonly ErrorItem[] };

/** One task's place in the router while it is in flight. */
export interface Route {
  readonly taskUUID: string;
  readonly replies: Subject<TaskReply>;
  /** The last task text written for this taskUUID that no reply has answered yet. */
  pending: string | undefined;
  /** Set once the task stopped listening; queued frames for it are dropped. */
  closed: boolean;
  /** Ends the task with an error (the connection gave up or was closed). */
  readonly fail: (error: RunwareError) => void;
}

/** What the router did with a frame's items that it could not deliver. */
export interface DispatchOutcome {
  /** Error items without a taskUUID: they belong to no task and fail none. */
  readonly unroutable: readonly ErrorItem[];
  /** Items for taskUUIDs nobody listens to (finished, cancelled, or never ours). */
  readonly unknown: number;
}

/** Routes inbound items to the task that owns their taskUUID. */
export interface TaskRouter {
  open(taskUUID: string, fail: (error: RunwareError) => void): Route | undefined;
  close(route: Route): void;
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
 * Creates the router: a map from taskUUID to the listening task. A frame's items are grouped by
 * taskUUID and each task receives its group once, so a frame of ten thousand results costs ten
 * thousand map look-ups, not ten thousand filters per task.
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
      // A task whose subscriber throws must not stop the others in the same frame.
    }
  };
  return {
    open(taskUUID, fail) {
      if (routes.has(taskUUID)) return undefined;
      const route: Route = { taskUUID, replies: new Subject(), pending: undefined, closed: false, fail };
      routes.set(taskUUID, route);
      return route;
    },
    close(route) {
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
      for (const route of [...routes.values()]) route.fail(error);
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
