import type { OutboundTask } from '../protocol/frames.js';
import type { Delivery, ResultReader } from '../tasks/define-task.js';

/** Per-request options of the Observable API. */
export interface TaskOptions {
  /** Whole-task deadline in ms, replacing the client's default for this request; `Infinity` for none. */
  readonly timeout?: number | undefined;
  /**
   * Report failed items as `failed` events beside the successful ones instead of failing the
   * request at the first one (for `numberResults` > 1).
   */
  readonly settled?: boolean | undefined;
  /**
   * Re-run a task that failed after the server took it (a provider timeout, a failed item) under a
   * new taskUUID, as a new task that is billed again; the `retrying` event says `newTask: true`.
   * Default: the client's `retryFailed` (false): such failures are final.
   */
  readonly retryFailed?: boolean | undefined;
  /**
   * The taskUUID to submit under (a UUID v4 in lower case), instead of a fresh one: record it before
   * submitting, and a process that takes over can send the same request again safely (the server
   * answers `conflictTaskUUID` and the request polls the task it has).
   */
  readonly taskUUID?: string | undefined;
  /**
   * Refuse fields this version of runware-rx does not know, instead of sending them with a
   * warning. Default: the client's `strictParams` (false).
   */
  readonly strictParams?: boolean | undefined;
  /**
   * How long the task is expected to take, in ms from its acknowledgement, for a polled task:
   * until this client has seen tasks of the same kind (task type, model, duration) finish, it is
   * polled as if one had taken this long (sparsely before, densely around it), and `status`
   * events carry an `estimatedProgress`. What the client learns replaces it.
   */
  readonly expectedDuration?: number | undefined;
}

/** One request as the engine runs it. */
export interface TaskPlan {
  /** What goes on the wire: the submission, with its taskUUID. */
  readonly task: OutboundTask & { readonly taskUUID: string; readonly taskType: string };
  /** How results arrive. */
  readonly delivery: Delivery;
  /**
   * The task goes over the API's HTTP endpoint instead of the socket: a `textInference` with
   * `deliveryMethod: "stream"`, answered as Server-Sent Events (REST only, protocol §4.5).
   */
  readonly overHttp?: boolean | undefined;
  /** Whether to submit the task (`false`: it was submitted earlier, only poll it: `attach`). */
  readonly submit: boolean;
  /**
   * It takes no `maxInFlight` slot: a look at a task sent before (`attach`, `getResponse`,
   * `getTaskDetails`) adds no task at the server (and may look at the task holding the last
   * slot); a request with media runs in the slot its preparation took.
   */
  readonly noSlot?: boolean | undefined;
  /** How many results end the request. */
  readonly expected: number;
  /** The parameter that carries the result count, so a re-run asks for the missing ones. */
  readonly count: string | undefined;
  /** How results are recognised. */
  readonly reader: ResultReader<unknown, unknown>;
  /** Whether failed items are reported beside the results instead of failing the request. */
  readonly settled: boolean;
  /** Whether a task that failed after acceptance is re-run under a new taskUUID. */
  readonly retryFailed: boolean;
  /** The whole-task deadline, in ms (`Infinity`: none). */
  readonly total: number;
  /**
   * How much of the whole-task deadline was spent before the engine got the request, in ms (its
   * media were encoded or uploaded first); the rest of it begins with the request's slot, as a
   * whole deadline does for a request without media.
   */
  readonly spent?: number | undefined;
  /** The longest silence while a pushed task runs, in ms. */
  readonly answerTimeout: number;
  /** The caller's `expectedDuration`, in ms. */
  readonly hint?: number | undefined;
  /** Its media inputs go inline whatever their size (the task is itself an upload). */
  readonly inlineMedia?: boolean | undefined;
  /** Media inputs uploaded first whatever their size (the API takes them by reference only). */
  readonly storedInputs?: readonly string[] | undefined;
  /**
   * The taskType the task's answers carry when it is sent under another task's taskUUID
   * (`getTaskDetails`), so that they are told apart from that task's own.
   */
  readonly answeredAs?: string | undefined;
  /** End with the first poll answer, whatever it says (`getResponse`): a look, not a wait. */
  readonly once?: boolean | undefined;
}
