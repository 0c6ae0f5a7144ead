import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem, MalformedItem } from '../protocol/frames.js';

/**
 * What a task listens with: plain callbacks, called synchronously. A route is in the hot path of
 * every task, so it holds functions rather than a Subject and an operator chain per task.
 */
export interface RouteListener {
  /**
   * A task of this taskUUID may have reached the server: a frame with it was written to the
   * socket, or its HTTP request was answered or failed after it may have left.
   */
  sent(): void;
  /**
   * A task of this taskUUID was written where writing does not yet say whether it reached the
   * server (an HTTP request begun): its answer is timed from now, and `sent` follows if anything
   * shows it may have arrived. A socket's line tells only `sent`, which for it is both.
   */
  written?(): void;
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
  /** Error items of the frame being dispatched (most replies share one empty array, route-delivery.ts's NO_ERRORS). */
  inboxErrors: ErrorItem[];
}

/** A frame written to the socket, and whether any reply has answered one of its tasks yet. */
export interface WrittenFrame {
  answered: boolean;
  /** The routes of the tasks it carried. */
  readonly routes: Route[];
  /**
   * How many of them it carried as submissions, the rest as polls. A route's `pending` text does
   * not say it: a poll written behind a submission no reply has answered leaves that in place.
   */
  submissions: number;
  /** The count of its socket's frames not answered yet, which its answer lowers; set when it is counted. */
  tally?: { unanswered: number } | undefined;
}

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
