import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { DataItem, ErrorItem, OutboundTask } from '../protocol/frames.js';
import { holdsRequest } from './archive-check.js';

/** Look-ups held for an unconfirmed task at most; more are dropped (the submission's answer reaches the session anyway). */
const MAX_HELD = 16;

/** What a confirmation does through its task. */
export interface ConfirmationHost {
  /** Writes a task upstream under the task's taskUUID. */
  send(task: OutboundTask): void;
  /** The archive holds what the relay sent: the task is the user's. */
  shown(afterSilence: boolean): void;
  /** The taskUUID is someone else's at the server. */
  foreign(): void;
  /** As far as the relay can tell, Runware did not take the task. */
  unreachable(reason: string): void;
}

/**
 * Whether a taskUUID the relay has just claimed for a user is theirs at the server too. Until
 * the server's first answer to the submission shows it took the taskUUID as new, the page's
 * look-ups are held back, and for at most `firstAnswerTimeout`: then the server's archive is
 * asked whether it holds what the relay sent, as after a conflict that may answer the relay's
 * own re-send. An archive that does not answer within as long again leaves the task unreachable.
 */
export class TaskConfirmation {
  #confirmed: boolean;
  #verifying = false;
  /** The archive was asked because no first answer came (not because of a conflict). */
  #afterSilence = false;
  readonly #held: (() => void)[] = [];
  /** The bound on the wait of a held look-up: for the first answer, then for the archive's. */
  #wait: Subscription | undefined;
  #disposed = false;

  constructor(
    private readonly host: ConfirmationHost,
    private readonly taskUUID: string,
    confirmed: boolean,
    private readonly firstAnswerTimeout: number,
  ) {
    this.#confirmed = confirmed;
  }

  get confirmed(): boolean {
    return this.#confirmed;
  }

  /** Whether the archive's answer is awaited: nothing is shown before it. */
  get verifying(): boolean {
    return this.#verifying;
  }

  /** Runs a look-up now when the task is confirmed, else once it is (and bounds the wait). */
  whenConfirmed(action: () => void): void {
    if (this.#disposed) return;
    if (this.#confirmed) {
      action();
      return;
    }
    if (this.#held.length < MAX_HELD) this.#held.push(action);
    if (this.#wait === undefined && !this.#verifying) this.#arm();
  }

  /** The task is the user's: the look-ups held for it go out. */
  confirm(): void {
    this.#confirmed = true;
    this.#verifying = false;
    this.#wait?.unsubscribe();
    this.#wait = undefined;
    for (const held of this.#held.splice(0)) held();
  }

  /** Asks the server's archive what it holds under this taskUUID. */
  askArchive(afterSilence: boolean): void {
    this.#verifying = true;
    this.#afterSilence = afterSilence;
    this.host.send({ taskType: 'getTaskDetails', taskUUID: this.taskUUID });
    this.#arm();
  }

  /**
   * Reads a reply while the archive is asked. The task is the user's only if the archive holds
   * exactly what the relay sent; after a silence, an archive that knows no such task shows that
   * the submission never reached the server (the page may send it again).
   */
  verify(data: readonly DataItem[], errors: readonly ErrorItem[], submission: OutboundTask | undefined): void {
    const details = data.find((item) => item.taskType === 'getTaskDetails');
    if (details === undefined && errors.length === 0) return; // a push meanwhile: not shown before the answer
    this.#verifying = false;
    if (details === undefined && this.#afterSilence && errors.some((item) => item.code === 'taskNotFound')) {
      this.host.unreachable('not at the server');
      return;
    }
    if (details === undefined || submission === undefined || !holdsRequest(details['request'], submission)) {
      this.host.foreign();
      return;
    }
    this.confirm();
    this.host.shown(this.#afterSilence);
  }

  /** The task is over: nothing held goes out, and no bound fires. */
  dispose(): void {
    this.#disposed = true;
    this.#held.length = 0;
    this.#wait?.unsubscribe();
    this.#wait = undefined;
  }

  #arm(): void {
    if (this.firstAnswerTimeout === Infinity) return;
    this.#wait?.unsubscribe();
    this.#wait = asyncScheduler.schedule(() => this.#noAnswer(), this.firstAnswerTimeout);
  }

  /**
   * No answer came in time. The first time, the archive is asked (the acknowledgement may be all
   * that was lost); when it does not answer either, the relay cannot reach Runware for the task.
   */
  #noAnswer(): void {
    this.#wait = undefined;
    if (this.#disposed || this.#confirmed) return;
    if (this.#verifying) this.host.unreachable('no answer upstream');
    else this.askArchive(true);
  }
}
