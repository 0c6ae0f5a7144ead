import type { OutboundTask } from '../protocol/frames.js';
import { encodeJson } from '../transport/codec.js';
import type { TaskLine } from './connection.js';
import type { Outbox } from './outbox.js';
import type { Route, RouteListener } from './route.js';
import type { TaskRouter } from './task-router.js';

/**
 * After a socket opens, re-sends what may have been lost with the previous one, always with the
 * same taskUUIDs: every task written but never answered, and, when the server started a new
 * session instead of resuming (so it will not replay), every submission still in flight. The
 * server answers `conflictTaskUUID` for tasks it already has, and those tasks switch to polling.
 * They go in the order their tasks were first submitted (the router keeps routes in the order
 * they were joined), and the caller queues them ahead of what was submitted during the outage.
 */
export function resendUnanswered(router: TaskRouter, outbox: Outbox, fresh: boolean): void {
  for (const route of router.routes()) {
    if (route.pending !== undefined) outbox.push(route.pending, route, route.pending === route.submission);
    else if (fresh && route.submission !== undefined) outbox.push(route.submission, route, true);
  }
}

/** One listener's line: an object per task in flight, with its methods on the prototype. */
export class SocketLine implements TaskLine {
  constructor(
    private readonly route: Route,
    private readonly listener: RouteListener,
    private readonly router: TaskRouter,
    private readonly outbox: Outbox,
  ) {}

  send(task: OutboundTask): void {
    this.outbox.push(encodeJson(task), this.route, task.taskType !== 'getResponse');
  }

  awaitMore(): void {
    this.route.pending ??= this.route.submission;
  }

  leave(): void {
    this.router.leave(this.route, this.listener);
  }
}
