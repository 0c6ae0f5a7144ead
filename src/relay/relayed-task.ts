import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { TaskLine } from '../connection/connection.js';
import type { RouteListener } from '../connection/route.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { RunwareError } from '../errors/runware-error.js';
import { getResponseTask } from '../protocol/control-tasks.js';
import { isRunningStatus } from '../protocol/item-status.js';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import { PageSilence } from './page-silence.js';
import { isTransientPollError, summarise } from './completion.js';
import { taskNotFound, taskTooLarge, upstreamUnavailable } from './refusals.js';
import { TaskConfirmation } from './task-confirmation.js';
import { TaskProgress } from './task-progress.js';
import { nameUntypedErrors } from './untyped-errors.js';
import { outputUUIDsOf } from './uuid-scan.js';

/** What a relayed task needs from the relay around it. */
export interface TaskHost {
  /** Joins the upstream route of a taskUUID. */
  join(taskUUID: string, listener: RouteListener): TaskLine;
  /** Hands items to a browser session. */
  deliver(sessionUUID: string, data: readonly unknown[], errors: readonly unknown[]): void;
  /** Claims the media a result produced for the task's user. */
  claimOutputs(userId: string, uuids: readonly string[]): void;
  /**
   * The claim the relay made for this task must go: the server already had the taskUUID (someone
   * else's task), or the submission never reached it for sure.
   */
  disown(task: RelayedTask): void;
  /** The task is over (or forgotten): release its slot and its place. */
  settled(task: RelayedTask, reason: string): void;
  /** How long a task may go without any traffic before it is forgotten. */
  readonly idleTimeout: number;
  /** How long a look-up held for an unconfirmed task waits for the first answer, then for the archive's. */
  readonly firstAnswerTimeout: number;
}

/** The facts of a task to follow. */
export interface TaskFacts {
  readonly taskUUID: string;
  readonly userId: string;
  readonly taskType: string;
  readonly expected: number;
  /**
   * The id of the claim the relay has just made for it, when there was none before: the task is
   * then unconfirmed until the server's first answer shows it took the taskUUID as new.
   */
  readonly freshClaim?: string | undefined;
}

/** How often the relay polls a task on its page's behalf (after an echoed conflict), in ms. */
const OWN_POLL_MS = 1000;
/** How often the relay polls an abandoned task itself, to learn when it is over and free its slot, in ms. */
const ABANDONED_POLL_MS = 10_000;

/**
 * One taskUUID the relay follows upstream, for the one user who owns it: the listener of its
 * upstream route. Every reply (a result, an acknowledgement, a poll answer, an error) goes to
 * the sessions of that user that submitted or asked about it, and to no one else; the media it
 * produced are claimed for the user. Once all its items are in (or it failed, or nothing has
 * happened for `idleTimeout`), it leaves the route and frees the user's in-flight slot.
 *
 * A task whose claim the relay has just made is unconfirmed until its first reply: if the server
 * answers `conflictTaskUUID`, the taskUUID was someone else's (a claim that expired, a store
 * that was lost), so the claim is dropped and the user is told `taskNotFound`, never the other
 * task's state. Until then polls and look-ups are held back (for a bounded time: see
 * TaskConfirmation) and the submission is not sent twice.
 */
export class RelayedTask implements RouteListener {
  readonly sessions = new Set<string>();
  #line: TaskLine | undefined;
  readonly #progress: TaskProgress;
  #polled = false;
  #submitted = false;
  /** How often its frames were written before its first reply: more than once, the connection re-sent the submission after a drop. */
  #writes = 0;
  #answered = false;
  /** The poll out is the relay's own (after an echoed conflict): what is still running is not the page's business. */
  #ownPoll = false;
  #ownPollTimer: Subscription | undefined;
  /** The own poll out is a single check (a failure came again word for word): no other follows it. */
  #checking = false;
  /** The page's look-ups (`getTaskDetails`) sent upstream and not answered yet. */
  #lookUpsOut = 0;
  /** The submission as this relay sent it, to compare with the archive. */
  #submission: OutboundTask | undefined;
  readonly #confirmation: TaskConfirmation;
  #lastActivity = asyncScheduler.now();
  #idle: Subscription | undefined;
  /** Its page's silence about it, once the page polls it (an async submission, or a poll seen). */
  readonly #silence = new PageSilence(() => this.#pageGone());
  /** The relay polls it because its page went silent: slowly, and only until it is over or idle. */
  #abandoned = false;
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
        shown: (afterSilence) => this.#shown(afterSilence),
        foreign: () => this.#foreign(),
        unreachable: (reason) => this.#unreachable(reason),
      },
      this.taskUUID,
      facts.freshClaim === undefined,
      host.firstAnswerTimeout,
    );
    this.#progress = new TaskProgress(this.expected);
    const line = host.join(this.taskUUID, this);
    // Joining starts the upstream connection, which may fail this task at once.
    if (this.#over) line.leave();
    else {
      this.#line = line;
      this.#armIdle();
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

  /** Sends the submission upstream; an unconfirmed task's submission goes once (its answer reaches every watcher). */
  submit(task: OutboundTask): void {
    if (this.#over) return;
    if (!this.#confirmation.confirmed && this.#submitted) return;
    this.#submitted = true;
    this.#submission = task;
    this.#pageSpoke(task['deliveryMethod'] === 'async');
    this.#line?.send(task);
  }

  /** Sends a look-up of this taskUUID (a `getTaskDetails`): once the task is confirmed as this user's. */
  lookUp(task: OutboundTask): void {
    this.#confirmation.whenConfirmed(() => {
      this.#pageSpoke(false);
      this.#lookUpsOut += 1;
      this.#line?.send(task);
    });
  }

  /** Sends a poll upstream; called for a whole round of polls at once, so they share a frame. */
  poll(): void {
    this.#confirmation.whenConfirmed(() => {
      this.#pageSpoke(true);
      // The page polls: its poll's answer is shown in full (an own poll out shares it), and the
      // relay's own polls stop.
      this.#abandoned = this.#ownPoll = this.#checking = false;
      this.#ownPollTimer?.unsubscribe();
      this.#ownPollTimer = undefined;
      this.#polled = true;
      this.#line?.send(getResponseTask(this.taskUUID));
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
    // The browser keeps its own deadlines; only a re-send by the connection matters here.
    if (!this.#answered) this.#writes += 1;
  }

  reply(data: readonly DataItem[], errors: readonly ErrorItem[]): void {
    if (this.#over) return;
    // The answer to the relay's own poll is no sign of life: own polls never outlive idleTimeout.
    if (!this.#ownPoll) this.#touch();
    if (this.#confirmation.verifying) {
      this.#confirmation.verify(data, errors, this.#submission);
      return;
    }
    const named = nameUntypedErrors(data, errors, this.#lookUpsOut, this.taskType);
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
    if (!this.#confirmation.confirmed && conflict) {
      // Written once, the taskUUID was someone else's. Written twice, it is this user's only if
      // the server's archive holds what this relay sent: it is asked before anything is shown.
      if (!echo) this.#foreign();
      else this.#confirmation.askArchive(false);
      return;
    }
    if (echo) {
      // The store says the task is this user's: the page is not told of the echo, and the relay
      // polls until the task is done (a resumed session pushes the rest as usual too).
      this.#confirmation.confirm();
      this.#pollOnOwn();
      const rest = given.filter((item) => item.code !== 'conflictTaskUUID');
      if (data.length + rest.length > 0) for (const session of this.sessions) this.host.deliver(session, data, rest);
      return;
    }
    if (!this.#confirmation.confirmed) this.#confirmation.confirm();
    else if (conflict && firstReply && this.counted && this.freshClaim === undefined) {
      // Sent again by its owner after this relay had forgotten it (finished, or followed by
      // another instance): the server has it and runs nothing. The page is told, and it polls
      // the task if it wants it; no in-flight slot is held for it meanwhile.
      for (const session of this.sessions) this.host.deliver(session, data, given);
      this.#end('already at the server');
      return;
    }
    const outputs = data.flatMap((item) => outputUUIDsOf(item));
    if (outputs.length > 0) this.host.claimOutputs(this.userId, outputs);
    const ownPoll = this.#ownPoll;
    const checked = this.#checking;
    const answeredPoll = this.#polled;
    this.#polled = this.#ownPoll = this.#checking = false;
    const summary = summarise({ data, errors: given }, this.taskType, this.expected);
    // A poll answer is the task's whole state; a push adds to what came before.
    const reading = answeredPoll ? this.#progress.polled(summary) : this.#progress.pushed(summary);
    // Not shown: a failure pushed again word for word (the page would count it again). The
    // answer to an own poll shows what has finished, not running items nor a refusal of a poll
    // the page never sent; the answer to a check, only what the page was not shown before.
    const hidden = (item: object): boolean => reading.known.has(item) && (checked || !answeredPoll);
    const shown = data.filter((item) => (!ownPoll || !isRunningStatus(item.status)) && !hidden(item));
    const told = given.filter((item) => (!ownPoll || !isTransientPollError(item)) && !hidden(item));
    if (shown.length + told.length > 0) for (const session of this.sessions) this.host.deliver(session, shown, told);
    if (reading.done) {
      this.#end(summary.taskFailed ? 'failed' : 'finished');
      return;
    }
    // More pushed results to come: if the upstream socket is replaced before they arrive, the
    // connection sends the submission again (the server answers conflictTaskUUID, the browser polls).
    if (!answeredPoll && this.#progress.started) this.#line?.awaitMore();
    if (ownPoll && !checked) this.#ownPollTimer = asyncScheduler.schedule(() => this.#pollOnOwn(), this.#abandoned ? ABANDONED_POLL_MS : OWN_POLL_MS);
    // The same failure frame twice, or a second alike failure: a poll answer tells which, unless
    // the relay's own polls go on anyway.
    else if (reading.repeatedFailures && this.#ownPollTimer === undefined) this.#check();
  }

  /** Polls once, for the relay's own count (the page is shown what finished, as for any own poll). */
  #check(): void {
    this.#checking = true;
    this.#pollOnOwn();
  }

  /** The archive holds what was sent: after a conflict the page waits for results it will not be pushed, and the relay polls until the task is done; after a silence, one poll brings what was pushed while the archive was asked. */
  #shown(afterSilence: boolean): void {
    if (!afterSilence) this.#pollOnOwn();
    else if (!this.#polled) this.#check();
  }

  /** Runware did not take the task, as far as the relay can tell: the page may send it again; the claim goes. */
  #unreachable(reason: string): void {
    for (const session of this.sessions) this.host.deliver(session, [], [upstreamUnavailable(this.#ref())]);
    this.host.disown(this);
    this.#end(reason);
  }

  /** Polls for the page that submitted the task, which never saw the conflict and waits for results. */
  #pollOnOwn(): void {
    this.#ownPollTimer = undefined;
    if (this.#over) return;
    this.#polled = this.#ownPoll = true;
    this.#line?.send(getResponseTask(this.taskUUID));
  }

  fail(error: RunwareError): void {
    if (this.#over) return;
    const item = error instanceof ProtocolError && typeof error.raw === 'object' && error.raw !== null ? error.raw : undefined;
    // The one validation error the connection raises itself: a task Runware refused as too large (1009).
    const refusal = error.code === 'validation' ? taskTooLarge(this.#ref()) : upstreamUnavailable(this.#ref());
    for (const session of this.sessions) {
      // An item the relay's decoder could not read goes on as it came: the browser's client fails the task with it.
      if (item !== undefined) this.host.deliver(session, [item], []);
      else this.host.deliver(session, [], [refusal]);
    }
    // Whether the server took an unconfirmed submission is unknown: its claim must not outlive that.
    if (!this.#confirmation.confirmed) this.host.disown(this);
    this.#end(`upstream: ${error.code}: ${error.message}`);
  }

  /** Stops following the task without telling anyone (the relay is closing; the store keeps its owner). */
  abandon(): void {
    this.#end('relay closing');
  }

  /** The server already had this taskUUID: it is not this user's, whatever the store said a moment ago. */
  #foreign(): void {
    this.host.disown(this);
    for (const session of this.sessions) this.host.deliver(session, [], [taskNotFound(this.#ref())]);
    this.#end('taskUUID already taken at the server');
  }

  #ref(): { taskType: string; taskUUID: string } {
    return { taskType: this.taskType, taskUUID: this.taskUUID };
  }

  #end(reason: string): void {
    if (this.#over) return;
    this.#over = true;
    this.#confirmation.dispose();
    this.#idle?.unsubscribe();
    this.#silence.dispose();
    this.#ownPollTimer?.unsubscribe();
    this.#line?.leave();
    this.#line = undefined;
    this.host.settled(this, reason);
  }

  #touch(): void {
    this.#lastActivity = asyncScheduler.now();
  }

  /** The page sent something for the task (`polls`: it polls it); a task holding a slot is watched for the page's silence. */
  #pageSpoke(polls: boolean): void {
    this.#touch();
    if (this.counted) this.#silence.spoke(polls);
  }

  /** The page has said nothing for long: the relay polls the task itself (slowly) until it is over. */
  #pageGone(): void {
    if (this.#over || !this.#confirmation.confirmed || this.#confirmation.verifying) return;
    if (this.#checking) {
      // A check is out: the polls of an abandoned task follow its answer.
      this.#abandoned = true;
      this.#checking = false;
      return;
    }
    if (this.#ownPoll || this.#ownPollTimer !== undefined) return;
    this.#abandoned = true;
    this.#pollOnOwn();
  }

  /** One timer per task, re-armed only when it fires early: traffic merely moves a timestamp. */
  #armIdle(): void {
    const { idleTimeout } = this.host;
    if (idleTimeout === Infinity) return;
    const due = this.#lastActivity + idleTimeout - asyncScheduler.now();
    this.#idle = asyncScheduler.schedule(() => {
      if (this.#over) return;
      if (asyncScheduler.now() - this.#lastActivity < idleTimeout) this.#armIdle();
      else {
        // Never shown to be this user's, the taskUUID's claim does not outlive the task.
        if (!this.#confirmation.confirmed) this.host.disown(this);
        this.#end('idle');
      }
    }, Math.max(0, due));
  }
}
