import type { MonoTypeOperatorFunction, Subscriber, Subscription } from 'rxjs';
import { Observable, asyncScheduler } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { backoffDelay } from '../operators/backoff.js';
import type { LinkEvent } from './link-event.js';

/** When and how often a lost link is dialled again. */
export interface ReconnectOptions {
  /** The first wait, in ms; it doubles up to `maxDelay`. */
  readonly initialDelay: number;
  /** The longest wait before jitter, in ms. */
  readonly maxDelay: number;
  /** Up to this many ms of random delay added after the cap. */
  readonly jitter: number;
  /** Failed attempts in a row before giving up; `Infinity` never gives up. */
  readonly attempts: number;
  /** The random source for jitter; injectable for tests. */
  readonly random?: () => number;
  /**
   * Asked about each loss before it is counted: `true` for one the connection learned from, so
   * that the next socket is not the same (a 1009 refusal after which frames are smaller, or the
   * task too large is failed). Such a loss uses up no attempt and does not lengthen the backoff.
   */
  readonly forgive?: (reason: RunwareError) => boolean;
  /**
   * Emits when the way to the server is likely back (a browser's `online` event): a backoff wait
   * under way then ends at once, so a page that was offline for a minute does not sit out the rest
   * of a 30 s wait. The dial that follows is an attempt like any other.
   */
  readonly wake?: Observable<unknown> | undefined;
}

/**
 * Re-dials a link that was lost after it had opened, with exponential backoff, and reports each
 * pause as a `reconnecting` event. It does not retry a link that never opened (a bad URL or a
 * server that is down fails the caller at once), non-retryable errors (a rejected key), or more
 * than `attempts` failures in a row; those end the stream with the error. A link counts as
 * recovered, and the count starts again, only once it carried a frame after authenticating.
 * However many times it reconnects there is one loop and one subscription to the link at a time.
 *
 * @param options The backoff schedule and the attempt limit.
 * @returns An operator over link events.
 */
export function reconnect(options: ReconnectOptions): MonoTypeOperatorFunction<LinkEvent> {
  const delayFor = backoffDelay({
    initial: options.initialDelay,
    max: options.maxDelay,
    jitter: options.jitter,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  return (link$) => new Observable<LinkEvent>((subscriber) => new Reconnection(link$, subscriber, options, delayFor).dial());
}

/**
 * One connection's reconnect loop: the observer of each link and its own teardown. Every frame
 * passes through it, so it is one object rather than a merge, a Subject and a retry chain; the
 * backoff wait is a scheduler action, so it runs in virtual time in tests.
 */
class Reconnection {
  #opened = false;
  #proving = false;
  #failures = 0;
  #link: Subscription | undefined;
  #wait: Subscription | undefined;
  #woken: Subscription | undefined;
  // Set by the teardown. A dial's subscriber may stop the loop while the dial subscribes (a
  // disconnect on `connecting`): the teardown then runs before that link is known, so the dial
  // lets it go itself.
  #stopped = false;

  constructor(
    private readonly link$: Observable<LinkEvent>,
    private readonly subscriber: Subscriber<LinkEvent>,
    private readonly options: ReconnectOptions,
    private readonly delayFor: (attempt: number) => number,
  ) {}

  dial(): this {
    this.#stopWaiting();
    if (this.#stopped) return this;
    const link = this.link$.subscribe(this);
    if (this.#stopped || this.subscriber.closed) link.unsubscribe();
    else this.#link = link.closed ? undefined : link;
    return this;
  }

  next(event: LinkEvent): void {
    if (event.type === 'open') {
      this.#opened = true;
      this.#proving = true;
    } else if (this.#proving && (event.type === 'frame' || event.type === 'invalidFrame')) {
      // A link proves itself by carrying something after its authentication (a reply, a pong):
      // only then does the backoff start small again. A server that accepts the key and drops
      // every socket at once is therefore dialled ever more slowly, and the attempt limit holds.
      this.#proving = false;
      this.#failures = 0;
    }
    this.subscriber.next(event);
  }

  error(error: unknown): void {
    const reason = asRunwareError(error);
    if (!this.#opened || !reason.retryable) {
      this.subscriber.error(reason);
      return;
    }
    const forgiven = this.options.forgive?.(reason) === true;
    // Whoever was told may have stopped the link (a task failed as too large whose handler disconnects).
    if (this.subscriber.closed) return;
    if (!forgiven && this.#failures >= this.options.attempts) {
      this.subscriber.error(gaveUp(this.#failures, reason));
      return;
    }
    if (!forgiven) this.#failures += 1;
    const attempt = forgiven ? this.#failures + 1 : this.#failures;
    const delay = this.delayFor(attempt);
    this.subscriber.next({ type: 'reconnecting', attempt, delay, error: reason });
    // Whoever is told may stop the link there and then (a disconnect on `reconnecting`): no wait then.
    if (this.subscriber.closed) return;
    const wait = asyncScheduler.schedule(() => this.dial(), delay);
    this.#wait = wait;
    const { wake } = this.options;
    if (wake === undefined) return;
    // A wake-up ends only the wait it was subscribed for; one told during its own subscription
    // (a replaying source) has dialled already, and its subscription must not outlive the wait.
    const woken = wake.subscribe(() => {
      if (this.#wait === wait) this.dial();
    });
    if (this.#wait === wait) this.#woken = woken;
    else woken.unsubscribe();
  }

  #stopWaiting(): void {
    this.#wait?.unsubscribe();
    this.#wait = undefined;
    const woken = this.#woken;
    this.#woken = undefined;
    woken?.unsubscribe();
  }

  complete(): void {
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.#stopped = true;
    this.#link?.unsubscribe();
    this.#stopWaiting();
  }
}

/**
 * The verdict that ends the loop. Not retryable: the tasks it fails would otherwise dial again
 * through their own retries, and `attempts` would bound nothing. A new request may still dial.
 */
function gaveUp(attempts: number, last: RunwareError): RunwareError {
  return new RunwareError({
    code: 'connection',
    message: `Gave up reconnecting after ${attempts} attempts: ${last.message}`,
    retryable: false,
    cause: last,
  });
}

function asRunwareError(error: unknown): RunwareError {
  if (error instanceof RunwareError) return error;
  return new RunwareError({ code: 'connection', message: String(error), cause: error });
}
