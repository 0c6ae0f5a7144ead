import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { disconnectedError } from '../errors/disconnected-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { ConnectionState } from './connection-state.js';

/** Who waits for the link to open: a subscriber of `open$()`, or the promise of `open()`. */
export interface OpenWaiter {
  next(): void;
  complete(): void;
  error(error: unknown): void;
}

/** The link as those waiting for it to open see it. */
export interface OpeningLink {
  /** The state last entered. */
  state(): ConnectionState;
  /** Starts the link, which is idle or closed. */
  start(): void;
  /** Deadline for dialling plus authentication, in ms. */
  readonly authTimeout: number;
}

/** Those waiting for the link to open or close for good. */
export interface OpenWaits {
  /**
   * Starts the link if it is idle or closed, and tells `waiter` once it is open or closed for
   * good. Waits on the state directly, not through operators over `state$`: connecting is the one
   * thing every client does first, and a chain's subscriptions and teardown would be most of its
   * cost on top of the socket's. A waiter that only joins a link already under way (a reconnect
   * loop may be waiting out a long backoff) gets a deadline of its own; a fresh link has its own
   * authentication deadline.
   *
   * @returns How to stop waiting, or `undefined` when it was told at once.
   */
  forOpen(waiter: OpenWaiter): (() => void) | undefined;
  /**
   * Settles the waiter now if `state` is open or closed; otherwise keeps it.
   *
   * @returns How to stop waiting, or `undefined` when it was settled at once.
   */
  wait(waiter: OpenWaiter, state: ConnectionState): (() => void) | undefined;
  /**
   * The same, with a deadline of its own: a waiter not settled within `ms` stops waiting and is
   * told `expired()` as its error. The deadline is cleared when the waiter is settled, so a
   * promise's waiter, which is never unsubscribed, leaves no timer behind.
   *
   * @returns How to stop waiting, or `undefined` when it was settled at once.
   */
  waitWithin(waiter: OpenWaiter, state: ConnectionState, ms: number, expired: () => unknown): (() => void) | undefined;
  /**
   * Takes every wait kept, when `next` settles them: before the state is told, so that a wait
   * made while it is told (a `state$` subscriber dialling again) is the new link's.
   *
   * @returns What settles the taken waits one by one, each by the state `now()` reads at its turn
   *   if that is open or closed (a close that came meanwhile, even from an earlier wait's
   *   handler), else by `next`; `undefined` when nothing was taken.
   */
  take(next: ConnectionState): ((now: () => ConnectionState) => void) | undefined;
}

const isSettled = (state: ConnectionState): boolean => state.type === 'open' || state.type === 'closed';

/**
 * Creates the waits of one connection, none kept.
 *
 * @param link The connection's link.
 * @returns No wait yet.
 */
export function createOpenWaits(link: OpeningLink): OpenWaits {
  const waiting = new Set<OpenWaiter>();
  const wait = (waiter: OpenWaiter, state: ConnectionState): (() => void) | undefined => {
    if (isSettled(state)) {
      settle(waiter, state);
      return undefined;
    }
    waiting.add(waiter);
    return () => waiting.delete(waiter);
  };
  const waits: OpenWaits = {
    forOpen(waiter) {
      const joining = link.state().type;
      const fresh = joining === 'idle' || joining === 'closed';
      if (fresh) link.start();
      const { authTimeout } = link;
      if (fresh || authTimeout === Infinity) return wait(waiter, link.state());
      return waits.waitWithin(waiter, link.state(), authTimeout, () => new TaskTimeoutError('auth', authTimeout));
    },
    wait,
    waitWithin(waiter, state, ms, expired) {
      let deadline: Subscription | undefined = undefined;
      const told: OpenWaiter = {
        next: () => waiter.next(),
        complete: () => {
          deadline?.unsubscribe();
          waiter.complete();
        },
        error: (error) => {
          deadline?.unsubscribe();
          waiter.error(error);
        },
      };
      const stopWaiting = wait(told, state);
      if (stopWaiting === undefined) return undefined;
      deadline = asyncScheduler.schedule(() => {
        stopWaiting();
        waiter.error(expired());
      }, ms);
      return () => {
        deadline?.unsubscribe();
        stopWaiting();
      };
    },
    take(next) {
      if (waiting.size === 0 || !isSettled(next)) return undefined;
      const taken = [...waiting];
      waiting.clear();
      return (now) => {
        for (const waiter of taken) {
          const state = now();
          settle(waiter, isSettled(state) ? state : next);
        }
      };
    },
  };
  return waits;
}

/** Ends a wait by the state it was waiting for: one value and completion once open. */
function settle(waiter: OpenWaiter, state: ConnectionState): void {
  if (state.type === 'closed') {
    waiter.error(state.error ?? disconnectedError());
    return;
  }
  waiter.next();
  waiter.complete();
}
