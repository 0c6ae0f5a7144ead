import type { MonoTypeOperatorFunction, Subscriber, Subscription } from 'rxjs';
import { Observable, asyncScheduler } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import type { LinkEvent } from './link-event.js';

/** How often the link proves the socket is alive. */
export interface HeartbeatOptions {
  /** Quiet time between an answer and the next ping, in ms. */
  readonly interval: number;
  /** How long an answer to a ping may take, in ms. */
  readonly timeout: number;
}

/** The keep-alive task as a frame; the server answers `{ taskType: 'ping', pong: true }`. */
const PING_FRAME = '[{"taskType":"ping","ping":true}]';

/**
 * Keeps an authenticated link honest: `interval` ms after each answer a ping goes out, and if
 * nothing at all arrives within `timeout` ms the link ends with a retryable `connection` error,
 * which replaces the socket. Any inbound frame counts as an answer: a socket busy delivering
 * results is alive even if its pong is queued behind them. A half-open socket is therefore
 * noticed within `interval + timeout` ms. Every frame passes through this operator, so it is
 * one observer with two scheduler actions rather than a multicast and an operator chain; the
 * actions use RxJS's scheduler, so it runs in virtual time in tests.
 *
 * @param options The interval and the deadline.
 * @returns An operator that passes link events through and adds the heartbeat.
 */
export function heartbeat(options: HeartbeatOptions): MonoTypeOperatorFunction<LinkEvent> {
  return (link$) =>
    new Observable<LinkEvent>((subscriber) => {
      const beat = new Heartbeat(subscriber, options);
      beat.input = link$.subscribe(beat);
      return beat;
    });
}

/** One link's heartbeat: the observer of its events and its own teardown. */
class Heartbeat {
  input: Subscription | undefined;
  #send: ((text: string) => boolean) | undefined;
  #timer: Subscription | undefined;
  #awaiting = false;

  constructor(
    private readonly subscriber: Subscriber<LinkEvent>,
    private readonly options: HeartbeatOptions,
  ) {}

  next(event: LinkEvent): void {
    if (event.type === 'open' && this.#send === undefined) {
      this.#send = event.send;
      this.#wait();
    } else if (this.#awaiting && (event.type === 'frame' || event.type === 'invalidFrame')) {
      this.#awaiting = false;
      this.#wait();
    }
    this.subscriber.next(event);
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.#timer?.unsubscribe();
    this.input?.unsubscribe();
  }

  /** Waits `interval`, then pings and waits `timeout` for any frame; `Infinity` never pings. */
  #wait(): void {
    this.#timer?.unsubscribe();
    const { interval } = this.options;
    this.#timer = interval === Infinity ? undefined : asyncScheduler.schedule(() => this.#ping(), interval);
  }

  #ping(): void {
    // Listen before pinging: an answer may arrive while the ping is being sent.
    this.#awaiting = true;
    const { timeout } = this.options;
    // With no deadline for the answer, the next frame (of any kind) only restarts the interval.
    this.#timer = timeout === Infinity ? undefined : asyncScheduler.schedule(() => this.subscriber.error(heartbeatLost(timeout)), timeout);
    this.#send?.(PING_FRAME);
  }
}

function heartbeatLost(deadline: number): RunwareError {
  return new RunwareError({
    code: 'connection',
    message: `The server did not answer a ping within ${deadline} ms; the connection is presumed dead.`,
  });
}
