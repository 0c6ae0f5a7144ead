import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';

/** A page silent this long about a polled task, in ms, is taken for gone (it unsubscribed, or left). */
const SILENT_PAGE_MS = 60_000;
/**
 * Nor before this share of the task's age when the page last spoke: runware-rx polls a task of a
 * kind it has seen finish at halvings of the time it expects, so its page may wait as long as the
 * task had run before its next poll (a ten-minute kind: 67, 135, 271 s); the official SDKs poll
 * every few seconds.
 */
const SILENT_AGE_SHARE = 1.5;

/**
 * Watches a page's silence about one polled task, so that the relay can poll a task nobody asks
 * about any more and free its slot when the server is done, rather than after the task's idle
 * timeout. One timer per task, as for idleness: the page's traffic only moves a timestamp, and
 * the timer is armed again only when it fires early.
 */
export class PageSilence {
  readonly #startedAt = asyncScheduler.now();
  #spokeAt = this.#startedAt;
  #watching = false;
  #timer: Subscription | undefined;

  /** @param silent Called once the page has been silent long enough (again after it spoke again). */
  constructor(private readonly silent: () => void) {}

  /** The page sent something for the task; with `polls`, it polls the task, so its silence means something from now on. */
  spoke(polls: boolean): void {
    this.#spokeAt = asyncScheduler.now();
    this.#watching ||= polls;
    if (this.#watching && this.#timer === undefined) this.#arm();
  }

  dispose(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
    this.#watching = false;
  }

  /** How long the page must say nothing for the task to be taken for abandoned, in ms. */
  #limit(): number {
    return Math.max(SILENT_PAGE_MS, SILENT_AGE_SHARE * (this.#spokeAt - this.#startedAt));
  }

  #arm(): void {
    const due = this.#spokeAt + this.#limit() - asyncScheduler.now();
    this.#timer = asyncScheduler.schedule(() => {
      this.#timer = undefined;
      if (!this.#watching) return;
      if (asyncScheduler.now() - this.#spokeAt < this.#limit()) this.#arm();
      else this.silent();
    }, Math.max(0, due));
  }
}
