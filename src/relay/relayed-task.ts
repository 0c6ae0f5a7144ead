import type { TaskLine } from '../connection/connection.js';
import type { RouteListener } from '../connection/route.js';
import type { RunwareError } from '../errors/runware-error.js';
import { getResponseTask } from '../protocol/control-tasks.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import { IdleWatch } from './idle-watch.js';
import { PageSilence } from './page-silence.js';
import { taskNotFound, upstreamUnavailable } from './refusals.js';
import { TaskConfirmation } from './task-confirmation.js';
import { deliverToSessions } from './task-delivery.js';
import type { TaskFacts, TaskHost } from './task-host.js';
import { TaskPolls } from './task-polls.js';
import { TaskReplies } from './task-replies.js';

/**
 * One taskUUID the relay follows upstream, for the one user who owns it: the listener of its
 * upstream route. What its pages send for it goes up; every reply (task-replies.ts) goes to the
 * sessions of that user that submitted or asked about it, and to no one else. Once all its items
 * are in (or it failed, or nothing has happened for `idleTimeout`), it leaves the route and
 * frees the user's in-flight slot. A task whose claim the relay has just made is unconfirmed
 * until the server's first answer (TaskConfirmation): until then polls and look-ups are held
 * back and the submission is not sent twice; a `conflictTaskUUID` shows the taskUUID was
 * someone else's (a claim that expired, a store that was lost), and the user is told
 * `taskNotFound`, never the other task's state.
 */
export class RelayedTask implements RouteListener {
  readonly sessions = new Set<string>();
  #line: TaskLine | undefined;
  readonly #polls = new TaskPolls(() => this.#line?.send(getResponseTask(this.taskUUID)));
  readonly #replies: TaskReplies;
  #submitted = false;
  /** The submission as this relay sent it, to compare with the archive. */
  #submission: OutboundTask | undefined;
  readonly #confirmation: TaskConfirmation;
  #idle: IdleWatch | undefined;
  /** Its page's silence about it, once the page polls it (an async submission, or a poll seen). */
  readonly #silence = new PageSilence(() => this.#pageGone());
  #over = false;
  readonly taskUUID: string;
  readonly userId: string;
  readonly taskType: string;
  readonly expected: number;
  /** The id of the claim this relay made for it, while unconfirmed. */
  readonly freshClaim: string | undefined;

  constructor(
    private readonly host: TaskHost,
    facts: TaskFacts,
    /** Whether it holds one of the user's in-flight slots (a submission through this instance). */
    readonly counted: boolean,
  ) {
    ({ taskUUID: this.taskUUID, userId: this.userId, taskType: this.taskType, expected: this.expected, freshClaim: this.freshClaim } = facts);
    this.#confirmation = new TaskConfirmation(
      {
        send: (task) => this.#line?.send(task),
        shown: (afterSilence) => this.#polls.shown(afterSilence),
        foreign: () => this.#foreign(),
        unreachable: (reason) => this.#unreachable(reason),
      },
      this.taskUUID,
      facts.freshClaim === undefined,
      host.firstAnswerTimeout,
    );
    this.#replies = new TaskReplies(this, host, this.#confirmation, this.#polls, {
      deliver: (data, errors) => this.#deliver(data, errors),
      foreign: () => this.#foreign(),
      end: (reason) => this.#end(reason),
      awaitMore: () => this.#line?.awaitMore(),
    });
    const line = host.join(this.taskUUID, this);
    // Joining starts the upstream connection, which may fail this task at once.
    if (this.#over) line.leave();
    else {
      this.#line = line;
      this.#idle = new IdleWatch(host.idleTimeout, () => {
        // Never shown to be this user's, the taskUUID's claim does not outlive the task.
        if (!this.#confirmation.confirmed) this.host.disown(this);
        this.#end('idle');
      });
    }
  }

  /** Whether it still follows the task. */
  get over(): boolean {
    return this.#over;
  }

  /** A session of the owner follows the task from now on. */
  watch(sessionUUID: string): void {
    this.sessions.add(sessionUUID);
  }

  /** Sends the submission upstream; an unconfirmed task's goes once, a copy of a confirmed one while none is out (its answer reaches every watcher). */
  submit(task: OutboundTask): void {
    if (this.#over) return;
    if (this.#submitted && (!this.#confirmation.confirmed || !this.#replies.mayCopy('submission'))) return;
    this.#submitted = true;
    this.#submission = task;
    this.#pageSpoke(task['deliveryMethod'] === 'async');
    this.#line?.send(task);
  }

  /** Sends a look-up of this taskUUID (a `getTaskDetails`): once the task is confirmed as this user's, and while none is out. */
  lookUp(task: OutboundTask): void {
    this.#confirmation.whenConfirmed(() => {
      this.#pageSpoke(false);
      if (!this.#replies.mayCopy('lookUp')) return;
      this.#replies.lookingUp();
      this.#line?.send(task);
    });
  }

  /** Sends a poll upstream; called for a whole round of polls at once, so they share a frame. */
  poll(): void {
    this.#confirmation.whenConfirmed(() => {
      this.#pageSpoke(true);
      this.#polls.pagePolls();
    });
  }

  /**
   * The check that created it for a session was abandoned before anything went out (its socket
   * closed, a later step failed): nothing was sent, so nothing is followed, and a fresh claim is
   * dropped; unless another session's check found it meanwhile, whose step goes on with it.
   */
  drop(sessionUUID: string): void {
    if (this.#submitted || this.#over) return;
    this.sessions.delete(sessionUUID);
    if (this.sessions.size > 0) return;
    if (this.freshClaim !== undefined) this.host.disown(this);
    this.#end('dropped before sending');
  }

  sent(): void {
    this.#replies.sent();
  }

  reply(data: readonly DataItem[], errors: readonly ErrorItem[]): void {
    if (this.#over) return;
    // The answer to the relay's own poll is no sign of life: own polls never outlive idleTimeout.
    if (!this.#polls.ownOut) this.#idle?.touch();
    this.#replies.read(data, errors, this.#submission);
  }

  /** Runware did not take the task, as far as the relay can tell: the page may send it again; the claim goes. */
  #unreachable(reason: string): void {
    this.#deliver([], [upstreamUnavailable(this.#ref())]);
    this.host.disown(this);
    this.#end(reason);
  }

  fail(error: RunwareError): void {
    if (!this.#over) this.#replies.failed(error);
  }

  /** Stops following the task without telling anyone (the relay is closing; the store keeps its owner). */
  abandon(): void {
    this.#end('relay closing');
  }

  /** The server already had this taskUUID: it is not this user's, whatever the store said a moment ago. */
  #foreign(): void {
    this.host.disown(this);
    this.#deliver([], [taskNotFound(this.#ref())]);
    this.#end('taskUUID already taken at the server');
  }

  /** Hands items to every session that follows the task; the media of its results become the user's (task-delivery.ts). */
  #deliver(data: readonly unknown[], errors: readonly unknown[]): void {
    deliverToSessions(this.host, this, data, errors);
  }

  #ref = (): { taskType: string; taskUUID: string } => ({ taskType: this.taskType, taskUUID: this.taskUUID });

  #end(reason: string): void {
    if (this.#over) return;
    this.#over = true;
    this.#confirmation.dispose();
    this.#idle?.stop();
    this.#silence.dispose();
    this.#polls.stop();
    this.#line?.leave();
    this.#line = undefined;
    this.host.settled(this, reason);
  }

  /** The page sent something for the task (`polls`: it polls it); a task holding a slot is watched for the page's silence. */
  #pageSpoke(polls: boolean): void {
    this.#idle?.touch();
    if (this.counted) this.#silence.spoke(polls);
  }

  /** The page has said nothing for long: the relay polls the task itself (slowly) until it is over. */
  #pageGone(): void {
    if (this.#over || !this.#confirmation.confirmed || this.#confirmation.verifying) return;
    this.#polls.pageGone();
  }
}
