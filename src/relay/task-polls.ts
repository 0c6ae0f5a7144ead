import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { isRunningStatus } from '../protocol/item-status.js';
import type { DataItem, ErrorItem } from '../protocol/frames.js';
import { isTransientPollError } from './completion.js';

/** How often the relay polls a task on its page's behalf (after an echoed conflict), in ms. */
const OWN_POLL_MS = 1000;
/** How often the relay polls an abandoned task itself, to learn when it is over and free its slot, in ms. */
const ABANDONED_POLL_MS = 10_000;

/** Which poll a reply answers, if any. */
export interface PollAnswered {
  /** A poll was out: the reply is the task's whole state. */
  readonly poll: boolean;
  /** It was the relay's own: the page is shown what has finished, not what runs, nor a refusal of a poll it never sent. */
  readonly own: boolean;
  /** That own poll was a single check: the page is shown only what it was not shown before. */
  readonly check: boolean;
}

/**
 * The polls of one relayed task: the page's, and the relay's own, which no page asked for: every
 * second for a page that waits for results it will not be pushed (it never saw the conflict that
 * answered the relay's own re-send), every ten seconds for a task its page went silent about
 * (until it is over, so that its slot comes back), and a single check when failures came again
 * word for word. The page polling stops the relay's own polls.
 */
export class TaskPolls {
  #polled = false;
  #own = false;
  #checking = false;
  /** The relay polls because the task's page went silent: slowly. */
  #abandoned = false;
  #timer: Subscription | undefined;
  #stopped = false;

  /** @param send Writes a poll of the task upstream. */
  constructor(private readonly send: () => void) {}

  /** Whether the poll out is the relay's own: its answer is no sign of life. */
  get ownOut(): boolean {
    return this.#own;
  }

  /** The page polls: its poll's answer is shown in full (an own poll out shares it), and the relay's own polls stop. */
  pagePolls(): void {
    this.#abandoned = this.#own = this.#checking = false;
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#polled = true;
    this.send();
  }

  /** Polls for the page that submitted the task, which never saw the conflict and waits for results. */
  pollOnOwn(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    this.#polled = this.#own = true;
    this.send();
  }

  /** The archive holds what was sent: after a conflict the relay polls until the task is done; after a silence, one poll brings what was pushed while the archive was asked. */
  shown(afterSilence: boolean): void {
    if (!afterSilence) this.pollOnOwn();
    else if (!this.#polled) this.#check();
  }

  /** The page has said nothing for long: the relay polls the task itself (slowly) until it is over. */
  pageGone(): void {
    if (this.#checking) {
      // A check is out: the polls of an abandoned task follow its answer.
      this.#abandoned = true;
      this.#checking = false;
      return;
    }
    if (this.#own || this.#timer !== undefined) return;
    this.#abandoned = true;
    this.pollOnOwn();
  }

  /** A reply came: which poll it answers (none is out any more). */
  answered(): PollAnswered {
    const answered = { poll: this.#polled, own: this.#own, check: this.#checking };
    this.#polled = this.#own = this.#checking = false;
    return answered;
  }

  /**
   * After a reply that did not end the task: the next own poll; or, for the same failure frame
   * twice or a second alike failure, a check (a poll answer tells which), unless own polls go on anyway.
   */
  next(answered: PollAnswered, repeatedFailures: boolean): void {
    // Delivering the reply may have ended the task.
    if (this.#stopped) return;
    if (answered.own && !answered.check) this.#timer = asyncScheduler.schedule(() => this.pollOnOwn(), this.#abandoned ? ABANDONED_POLL_MS : OWN_POLL_MS);
    else if (repeatedFailures && this.#timer === undefined) this.#check();
  }

  /** The task is over: no poll of the relay's own goes out any more. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.unsubscribe();
  }

  /** Polls once, for the relay's own count (the page is shown what finished, as for any own poll). */
  #check(): void {
    this.#checking = true;
    this.pollOnOwn();
  }
}

/**
 * What the page is shown of a reply. Not a failure pushed again word for word (the page would
 * count it again). Of the answer to an own poll, what has finished, not running items nor a
 * refusal of a poll the page never sent; of the answer to a check, only what the page was not
 * shown before.
 *
 * @param answered The poll the reply answers.
 * @param known The items of the reply that add nothing to what came before.
 * @param data The reply's data items.
 * @param errors Its error items.
 * @returns The items to deliver.
 */
export function shownOfReply(answered: PollAnswered, known: ReadonlySet<object>, data: readonly DataItem[], errors: readonly ErrorItem[]): { data: DataItem[]; errors: ErrorItem[] } {
  const hidden = (item: object): boolean => known.has(item) && (answered.check || !answered.poll);
  return {
    data: data.filter((item) => (!answered.own || !isRunningStatus(item.status)) && !hidden(item)),
    errors: errors.filter((item) => (!answered.own || !isTransientPollError(item)) && !hidden(item)),
  };
}
