import type { MonoTypeOperatorFunction, Subscriber, Subscription } from 'rxjs';
import { Observable, asyncScheduler } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { SingleTimer } from '../util/single-timer.js';
import { createSingleTimer } from '../util/single-timer.js';
import type { LinkEvent } from './link-event.js';

/** How often the link proves the socket is alive once it is open. */
export interface HeartbeatOptions {
  /** Quiet time between an answer and the next ping, in ms. */
  readonly interval: number;
  /** How long an answer to a ping may take, in ms. */
  readonly timeout: number;
}

/** The deadlines of one link, from dialling to its end. */
export interface LivenessOptions {
  /** How long dialling plus authentication may take, in ms. */
  readonly authTimeout: number;
  readonly heartbeat: HeartbeatOptions;
}

/** The keep-alive task as a frame; the server answers `{ taskType: 'ping', pong: true }`. */
const PING_FRAME = '[{"taskType":"ping","ping":true}]';

/**
 * Keeps a link honest from the moment it dials: it must be `open` (authenticated) within
 * `authTimeout` ms, or the link ends with a retryable `TaskTimeoutError` of phase `auth`. Then
 * `heartbeat.interval` ms after each answer a ping goes out, and if nothing at all arrives within
 * `heartbeat.timeout` ms the link ends with a retryable `connection` error, which replaces the
 * socket. Any inbound frame counts as an answer: a socket busy delivering results is alive even
 * if its pong is queued behind them. A half-open socket is therefore noticed within
 * `interval + timeout` ms. A ping written behind a large frame (inline media) reaches the server
 * only once that frame has, so while the socket is still sending what it was given (its backlog
 * smaller at the deadline than when the ping was written), the deadline moves on by `timeout`;
 * a backlog that has not moved for a whole `timeout` is a dead socket like any other.
 *
 * Why one operator for both: they are the same question (has the server been heard from in
 * time?) asked in turn, so one timer serves the link's whole life. It is armed once at the dial
 * and moved only when a deadline comes sooner than it; one that comes later waits for it to
 * fire and then arms for what remains. A connection therefore costs one timer, not one for the
 * authentication and another at the open. The timer is RxJS's, so it runs in virtual time in tests.
 *
 * @param options The authentication deadline, the interval and the ping's deadline.
 * @returns An operator that passes link events through and watches them.
 */
export function liveness(options: LivenessOptions): MonoTypeOperatorFunction<LinkEvent> {
  return (link$) =>
    new Observable<LinkEvent>((subscriber) => {
      const watch = new Liveness(subscriber, options);
      watch.input = link$.subscribe(watch);
      return watch;
    });
}

/** What the link is waiting for: its acknowledgement, the quiet interval before a ping, or an answer to the ping. */
type Phase = 'authenticating' | 'quiet' | 'awaiting';

/** One link's deadlines: the observer of its events and its own teardown. */
class Liveness {
  input: Subscription | undefined;
  #send: ((text: string) => boolean) | undefined;
  #backlog: (() => number) | undefined;
  /** The socket's backlog when the ping was written, or at the last deadline it was seen moving. */
  #backlogThen = 0;
  #phase: Phase = 'authenticating';
  /** When the present wait ends, in scheduler time. */
  #due: number;
  readonly #timer: SingleTimer;

  constructor(
    private readonly subscriber: Subscriber<LinkEvent>,
    private readonly options: LivenessOptions,
  ) {
    this.#timer = createSingleTimer((reached) => this.#ring(reached));
    this.#due = asyncScheduler.now() + options.authTimeout;
    this.#timer.arm(this.#due);
  }

  next(event: LinkEvent): void {
    if (event.type === 'open' && this.#send === undefined) {
      this.#send = event.send;
      this.#backlog = event.backlog;
      this.#quiet();
    } else if (this.#phase === 'awaiting' && (event.type === 'frame' || event.type === 'invalidFrame')) this.#quiet();
    this.subscriber.next(event);
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.#timer.dispose();
    this.input?.unsubscribe();
  }

  /** Waits `interval` before the next ping; `Infinity` never pings. */
  #quiet(): void {
    this.#phase = 'quiet';
    this.#due = asyncScheduler.now() + this.options.heartbeat.interval;
    this.#timer.arm(this.#due);
  }

  /** The timer rang for `reached`: the present deadline, or an earlier one it was armed for. */
  #ring(reached: number): void {
    if (this.#due > reached) {
      // Armed for an earlier wait (the authentication's, a ping's): wait for what remains,
      // counted from the time the timer reached, not from a reading of the clock.
      this.#timer.arm(this.#due, reached);
      return;
    }
    if (this.#phase === 'authenticating') this.subscriber.error(new TaskTimeoutError('auth', this.options.authTimeout));
    else if (this.#phase === 'quiet') this.#ping(reached);
    else if (this.#sending()) {
      this.#due = reached + this.options.heartbeat.timeout;
      this.#timer.arm(this.#due, reached);
    } else this.subscriber.error(heartbeatLost(this.options.heartbeat.timeout));
  }

  /** Whether the socket sent some of its backlog since the ping, or since it was last seen doing so. */
  #sending(): boolean {
    const left = this.#backlog?.() ?? 0;
    const moved = left < this.#backlogThen;
    this.#backlogThen = left;
    return moved;
  }

  #ping(now: number): void {
    // Listen before pinging: an answer may arrive while the ping is being sent. With no deadline
    // for the answer, the next frame (of any kind) only restarts the interval.
    this.#phase = 'awaiting';
    this.#due = now + this.options.heartbeat.timeout;
    this.#timer.arm(this.#due, now);
    // Read before the ping is written: an idle socket's backlog is then nothing, and stays so.
    this.#backlogThen = this.#backlog?.() ?? 0;
    this.#send?.(PING_FRAME);
  }
}

function heartbeatLost(deadline: number): RunwareError {
  return new RunwareError({
    code: 'connection',
    message: `The server did not answer a ping within ${deadline} ms; the connection is presumed dead.`,
  });
}
