import { asyncScheduler } from 'rxjs';
import { ProtocolError } from '../errors/protocol-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import { refusedUntaken, summarise } from './completion.js';
import { taskTooLarge, upstreamUnavailable } from './refusals.js';
import type { RelayedTask } from './relayed-task.js';
import type { TaskConfirmation } from './task-confirmation.js';
import type { TaskHost } from './task-host.js';
import type { TaskPolls } from './task-polls.js';
import { shownOfReply } from './task-polls.js';
import { TaskProgress } from './task-progress.js';
import { nameUntypedErrors } from './untyped-errors.js';

/** What reading a task's replies does through the task. */
export interface ReplyActions {
  /** Hands items to every session that follows the task. */
  deliver(data: readonly unknown[], errors: readonly unknown[]): void;
  /** The server already had this taskUUID: it is not this user's. */
  foreign(): void;
  /** The task is over. */
  end(reason: string): void;
  /** More pushed results are to come: if the upstream socket is replaced before they arrive, the connection sends the submission again. */
  awaitMore(): void;
}

/**
 * What the replies to one relayed task mean: a conflict (someone else's taskUUID, the echo of
 * the relay's own re-send, or a task its owner sent again after the relay forgot it), the
 * confirmation that the taskUUID is the user's, the task's progress and its end; and what the
 * page is shown of each (task-polls.ts). What it delivers, the task delivers (task-delivery.ts):
 * the media of every result that reaches a page are claimed for the user there.
 */
export class TaskReplies {
  readonly #progress: TaskProgress;
  /** How often its frames were written before its first reply: more than once, the connection re-sent the submission after a drop. */
  #writes = 0;
  #answered = false;
  /** The page's look-ups (`getTaskDetails`) sent upstream and not answered yet. */
  #lookUpsOut = 0;
  /** When a page's copy of its confirmed submission, and its look-up, was last written upstream, with no reply since. */
  readonly #copiesOut: { submission?: number | undefined; lookUp?: number | undefined } = {};

  constructor(
    private readonly task: RelayedTask,
    private readonly host: TaskHost,
    private readonly confirmation: TaskConfirmation,
    private readonly polls: TaskPolls,
    private readonly actions: ReplyActions,
  ) {
    this.#progress = new TaskProgress(task.expected);
  }

  /** The task's frames were written upstream. */
  sent(): void {
    // The browser keeps its own deadlines; only a re-send by the connection matters here.
    if (!this.#answered) this.#writes += 1;
  }

  /**
   * Whether what a page sends again (its confirmed task, another look-up) goes upstream: not while
   * the same is out there with no reply since, for up to `firstAnswerTimeout` (its answer may have
   * been lost). Every copy would go under the application's key, and a frame may hold thousands;
   * the one answer reaches every session that follows the task.
   */
  mayCopy(kind: 'submission' | 'lookUp'): boolean {
    const now = asyncScheduler.now();
    const out = this.#copiesOut[kind];
    if (out !== undefined && now - out < this.host.firstAnswerTimeout) return false;
    this.#copiesOut[kind] = now;
    return true;
  }

  /** A look-up of the page's went upstream. */
  lookingUp(): void {
    this.#lookUpsOut += 1;
  }

  /** Reads a reply (the submission as sent is compared with the archive's, when that was asked). */
  read(data: readonly DataItem[], errors: readonly ErrorItem[], submission: OutboundTask | undefined): void {
    const { task, confirmation, actions } = this;
    this.#copiesOut.submission = this.#copiesOut.lookUp = undefined;
    if (confirmation.verifying) {
      confirmation.verify(data, errors, submission);
      return;
    }
    const named = nameUntypedErrors(data, errors, this.#lookUpsOut, task.taskType);
    this.#lookUpsOut -= named.lookUpsAnswered;
    const given = named.errors;
    const firstReply = !this.#answered;
    this.#answered = true;
    const conflict = given.some((item) => item.code === 'conflictTaskUUID');
    // Written again by the connection (its socket was replaced before the answer), the
    // submission may have reached the server the first time: the conflict may then be the
    // server's answer to this very task, an echo of the relay's own re-send that the page never
    // made. (An unconfirmed task's re-sends by the page are held back: a page cannot cause one.)
    const echo = conflict && firstReply && this.#writes > 1;
    if (!confirmation.confirmed && conflict) {
      // Written once, the taskUUID was someone else's. Written twice, it is this user's only if
      // the server's archive holds what this relay sent: it is asked before anything is shown.
      if (!echo) actions.foreign();
      else confirmation.askArchive(false);
      return;
    }
    if (echo) {
      // The store says the task is this user's: the page is not told of the echo, and the relay
      // polls until the task is done (a resumed session pushes the rest as usual too).
      confirmation.confirm();
      this.polls.pollOnOwn();
      const rest = given.filter((item) => item.code !== 'conflictTaskUUID');
      if (data.length + rest.length > 0) actions.deliver(data, rest);
      return;
    }
    if (!confirmation.confirmed) confirmation.confirm();
    else if (conflict && firstReply && task.counted && task.freshClaim === undefined) {
      // Sent again by its owner after this relay had forgotten it (finished, or followed by
      // another instance): the server has it and runs nothing. The page is told, and it polls
      // the task if it wants it; no in-flight slot is held for it meanwhile.
      actions.deliver(data, given);
      actions.end('already at the server');
      return;
    }
    this.#progressed(data, given, firstReply);
  }

  /** The connection failed the task: its sessions are told, and it ends. */
  failed(error: RunwareError): void {
    const ref = { taskType: this.task.taskType, taskUUID: this.task.taskUUID };
    const item = error instanceof ProtocolError && typeof error.raw === 'object' && error.raw !== null ? error.raw : undefined;
    // An item the relay's decoder could not read goes on as it came: the browser's client fails the task with it.
    if (item !== undefined) this.actions.deliver([item], []);
    // The one validation error the connection raises itself: a task Runware refused as too large (1009).
    else this.actions.deliver([], [error.code === 'validation' ? taskTooLarge(ref) : upstreamUnavailable(ref)]);
    // Whether the server took an unconfirmed submission is unknown: its claim must not outlive that.
    if (!this.confirmation.confirmed) this.host.disown(this.task);
    this.actions.end(`upstream: ${error.code}: ${error.message}`);
  }

  /** A reply of the task's own, confirmed: what it adds, what the page is shown of it, and whether the task is done. */
  #progressed(data: readonly DataItem[], errors: readonly ErrorItem[], firstReply: boolean): void {
    const { task, polls } = this;
    const answered = polls.answered();
    const summary = summarise({ data, errors }, task.taskType, task.expected);
    // A poll answer is the task's whole state; a push adds to what came before.
    const reading = answered.poll ? this.#progress.polled(summary) : this.#progress.pushed(summary);
    const shown = shownOfReply(answered, reading.known, data, errors);
    if (shown.data.length + shown.errors.length > 0) this.actions.deliver(shown.data, shown.errors);
    if (reading.done) {
      // Turned away before it ran: its claim would hold one of the store's for a day, for nothing.
      // Not when the connection wrote it twice: the refusal answers the re-send, and the first
      // write may be running.
      if (firstReply && this.#writes === 1 && refusedUntaken(summary, errors)) this.host.release(task);
      this.actions.end(summary.taskFailed ? 'failed' : 'finished');
      return;
    }
    // More pushed results to come (the server answers the re-sent submission conflictTaskUUID, the browser polls).
    if (!answered.poll && this.#progress.started) this.actions.awaitMore();
    polls.next(answered, reading.repeatedFailures);
  }
}
