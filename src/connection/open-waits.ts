import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import { disconnectedError } from '../errors/disconnected-error.js';
import type { ConnectionState } from './connection-state.js';

/** Who waits for the link to open: a subscriber of `open$()`, or the promise of `open()`. */
export interface OpenWaiter {
  next(): void;
  complete(): void;
  error(error: unknown): void;
}

/** Those waiting for the link to open or close for good. */
export interface OpenWaits {
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

/** Creates the waits of one connection, none kept. */
export function createOpenWaits(): OpenWaits {
  const waiting = new Set<OpenWaiter>();
  const wait = (waiter: OpenWaiter, state: ConnectionState): (() => void) | undefined => {
    if (isSettled(state)) {
      settle(waiter, state);
      return undefined;
    }
    waiting.add(waiter);
    return () => waiting.delete(waiter);
  };
  return {
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
