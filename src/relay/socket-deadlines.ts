import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import { CLOSE } from './browser-contract.js';

/**
 * The two deadlines of a browser socket's authentication: the page must send it within
 * `authTimeout` of opening the socket (then 1008), and the socket is closed (1000) when the
 * token it was accepted with expires, however far off that is.
 */
export class SocketDeadlines {
  #authTimer: Subscription | undefined;
  #expiry: Subscription | undefined;

  /**
   * @param authTimeout How long the page may take to send its authentication (`Infinity`: no limit).
   * @param close Closes the socket.
   */
  constructor(
    authTimeout: number,
    private readonly close: (code: number, reason: string) => void,
  ) {
    if (authTimeout !== Infinity) this.#authTimer = asyncScheduler.schedule(() => close(CLOSE.policy, 'Not authenticated in time'), authTimeout);
  }

  /** The page sent its authentication in time: how long the application takes is authorize's own limit. */
  authenticating(): void {
    this.#authTimer?.unsubscribe();
  }

  /** The socket holds a token until `at` (ms since the epoch; `undefined`: no end), instead of any token before. */
  expireAt(at: number | undefined): void {
    this.#expiry?.unsubscribe();
    this.#expiry = undefined;
    if (at !== undefined) this.#expireAt(at);
  }

  /** The socket has gone. */
  stop(): void {
    this.#authTimer?.unsubscribe();
    this.#expiry?.unsubscribe();
  }

  /** A far-off expiry is waited for in steps a timer can take. */
  #expireAt(at: number): void {
    const left = at - asyncScheduler.now();
    this.#expiry = asyncScheduler.schedule(
      () => (left > MAX_TIMER_MS ? this.#expireAt(at) : this.close(CLOSE.normal, 'Token expired')),
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  }
}
