import type { Observable } from 'rxjs';
import { asyncScheduler, defer, of, timer } from 'rxjs';
import { backoffDelay } from '../operators/backoff.js';

/** A client-wide pause after rate limiting, shared by every request. */
export interface RateGate {
  /** Emits once when sending is allowed: at once while the gate is open. */
  readonly ready$: Observable<unknown>;
  /** Whether sending is allowed now (the common case, checked without building a stream). */
  isOpen(): boolean;
  /**
   * Records a rate-limit answer: closes the gate for a pause that grows with each burst in a
   * row. Answers that arrive while the gate is already closed belong to the same burst.
   */
  limited(): void;
  /** Records an answer that was not rate limited: once the gate is open, the next pause starts small again. */
  passed(): void;
  /** Opens the gate and forgets past rate limiting (the client disconnected). */
  reset(): void;
}

/** How long the gate stays closed. */
export interface RateGateOptions {
  /** The first pause, in ms; it doubles with each rate-limit answer in a row. */
  readonly initial: number;
  /** The longest pause, in ms. */
  readonly max: number;
  /** Random extra pause of up to this many ms, so clients spread out. */
  readonly jitter: number;
}

/**
 * Creates the gate. When the server rate-limits, retrying each task on its own schedule would
 * keep hammering it (a retry storm); instead every submission and retry of the client waits for
 * the same gate, so a burst of rate-limit answers slows all tasks down together.
 *
 * @param options The pause schedule.
 * @returns The gate, open.
 */
export function createRateGate(options: RateGateOptions): RateGate {
  const pauseFor = backoffDelay({ initial: options.initial, max: options.max, jitter: options.jitter });
  let reopensAt = 0;
  let strikes = 0;
  return {
    ready$: defer(() => {
      const wait = reopensAt - asyncScheduler.now();
      return wait > 0 ? timer(wait) : of(0);
    }),
    // Both checks run for every request and reply: a gate that never closed skips the clock.
    isOpen: () => reopensAt === 0 || asyncScheduler.now() >= reopensAt,
    limited() {
      const now = asyncScheduler.now();
      if (now < reopensAt) return;
      strikes += 1;
      reopensAt = now + pauseFor(strikes);
    },
    reset() {
      reopensAt = 0;
      strikes = 0;
    },
    passed() {
      // Answers to requests sent before the pause say nothing about whether it helped.
      if (strikes > 0 && asyncScheduler.now() >= reopensAt) strikes = 0;
    },
  };
}
