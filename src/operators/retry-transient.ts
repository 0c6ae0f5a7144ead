import type { MonoTypeOperatorFunction, Observable, Subscriber, Subscription } from 'rxjs';
import { Observable as Stream } from 'rxjs';
import { scheduleAfter } from '../util/long-wait.js';
import { isRunwareError } from '../errors/guards.js';
import type { RunwareError } from '../errors/runware-error.js';

/** Which failures are retried, how often and how long apart. */
export interface RetryTransientOptions<T> {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly count: number;
  /** The wait before retry number `attempt` (from 1), in ms. */
  readonly delay: (attempt: number) => number;
  /** A value announcing a retry, emitted before the wait; omit to announce nothing. */
  readonly announce?: (attempt: number, delay: number, error: RunwareError) => T;
}

/**
 * Re-subscribes to the source after a retryable failure (`error.retryable === true`: connection
 * loss, timeouts, rate limits, provider and 5xx-like failures), up to `count` times with the
 * given backoff, announcing each retry first if asked. Validation, auth, quota and safety
 * errors, and anything that is not a `RunwareError`, go straight through. Re-subscribing must
 * be safe: in runware-rx it re-sends the same taskUUID, so the server never runs a task twice.
 *
 * Every request carries this operator and almost none fails, so a subscription is one small
 * object with its methods on a prototype and nothing else until a failure; the waits use
 * RxJS's scheduler, so it runs in virtual time in tests.
 *
 * @param options The retry budget and schedule.
 * @returns An operator.
 */
export function retryTransient<T>(options: RetryTransientOptions<T>): MonoTypeOperatorFunction<T> {
  return (source) =>
    options.count <= 0 ? source : new Stream<T>((subscriber) => new RetryRun(source, subscriber, options).start());
}

/** One subscription's retry loop; it is the observer of each attempt and its own teardown. */
class RetryRun<T> {
  private attempt = 0;
  private current: Subscription | undefined;
  private pause: Subscription | undefined;

  constructor(
    private readonly source: Observable<T>,
    private readonly subscriber: Subscriber<T>,
    private readonly options: RetryTransientOptions<T>,
  ) {}

  start(): this {
    this.pause = undefined;
    const subscription = this.source.subscribe(this);
    // Unsubscribed while the attempt subscribed (it gave a value at once): a retry's attempt is
    // not known to the teardown that has run, so it ends here.
    if (this.subscriber.closed) subscription.unsubscribe();
    else this.current = subscription.closed ? undefined : subscription;
    return this;
  }

  next(value: T): void {
    this.subscriber.next(value);
  }

  error(error: unknown): void {
    const { count, delay, announce } = this.options;
    if (!isRetryable(error, this.attempt, count)) {
      this.subscriber.error(error);
      return;
    }
    this.attempt += 1;
    let wait: number;
    let notice: T | undefined;
    try {
      wait = delay(this.attempt);
      if (announce !== undefined) notice = announce(this.attempt, wait, error);
    } catch (thrown) {
      // The caller's schedule or announcement is broken: the stream ends with what it threw.
      this.subscriber.error(thrown);
      return;
    }
    if (announce !== undefined) this.subscriber.next(notice as T);
    // Whoever is told of the retry may stop there and then: nothing is waited for, nor subscribed.
    if (this.subscriber.closed) return;
    this.pause = scheduleAfter(wait, () => this.start());
  }

  complete(): void {
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.current?.unsubscribe();
    this.pause?.unsubscribe();
  }
}

/**
 * The retry rule: a `RunwareError` marked retryable, while the budget lasts.
 *
 * @param error What failed.
 * @param attempt Retries made so far.
 * @param count The retry budget.
 * @returns Whether to try again.
 */
export function isRetryable(error: unknown, attempt: number, count: number): error is RunwareError {
  return isRunwareError(error) && error.retryable && attempt < count;
}
