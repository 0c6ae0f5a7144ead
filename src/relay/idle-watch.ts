import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';

/**
 * Tells when something has had no traffic for `timeoutMs` (`Infinity`: never). One timer, armed
 * again only when it fires early: traffic merely moves a timestamp, so that a busy socket or task
 * costs no timer per frame.
 */
export class IdleWatch {
  #lastActivity = asyncScheduler.now();
  #timer: Subscription | undefined;

  /**
   * @param timeoutMs How long without traffic is idle.
   * @param idle Called once, when it is.
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly idle: () => void,
  ) {
    this.#arm();
  }

  /** Traffic: the wait starts again. */
  touch(): void {
    this.#lastActivity = asyncScheduler.now();
  }

  stop(): void {
    this.#timer?.unsubscribe();
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.timeoutMs === Infinity) return;
    const due = this.#lastActivity + this.timeoutMs - asyncScheduler.now();
    this.#timer = asyncScheduler.schedule(() => {
      if (asyncScheduler.now() - this.#lastActivity >= this.timeoutMs) this.idle();
      else this.#arm();
    }, Math.max(0, due));
  }
}
