import type { AbortError } from './request-registry.js';

/** A request that waits for a slot: told when it has one, or ended while it waits. */
export interface SlotHolder {
  /** The request has a slot and may start; it must not throw (it may run in another request's teardown). */
  granted(): void;
  /** Ends a request that is still waiting. */
  abort(error: AbortError): void;
}

/** Caps how many requests run at once; the rest wait in order. */
export interface InFlightLimiter {
  /** Asks for a slot: `true` when granted now, otherwise `granted()` is called later, in order. */
  acquire(holder: SlotHolder): boolean;
  /** Gives a slot back, or leaves the queue (a request that ended, however it ended). */
  release(holder: SlotHolder): void;
  /**
   * Ends every request still waiting for a slot. `disconnect()` calls it before ending the
   * running ones, whose freed slots would otherwise start (and send) queued ones.
   */
  abortQueued(error: AbortError): void;
}

/** A limiter that lets everything through: for work done inside a request that holds a slot (its uploads). */
export const NO_LIMIT: InFlightLimiter = { acquire: () => true, release: () => undefined, abortQueued: () => undefined };

/**
 * Creates a limiter with `max` slots, first come first served. A request holds its slot from
 * the moment it starts until it ends (retries included), so `max` bounds the tasks the server is
 * working on for this client.
 *
 * @param max The number of slots; `Infinity` lets everything through at no cost.
 * @returns The limiter.
 */
export function createInFlightLimiter(max: number): InFlightLimiter {
  if (max === Infinity) return NO_LIMIT;
  const running = new Set<SlotHolder>();
  const queue: SlotHolder[] = [];
  return {
    acquire(holder) {
      if (running.size < max) {
        running.add(holder);
        return true;
      }
      queue.push(holder);
      return false;
    },
    release(holder) {
      if (!running.delete(holder)) {
        const index = queue.indexOf(holder);
        if (index >= 0) queue.splice(index, 1);
        return;
      }
      const next = queue.shift();
      if (next === undefined) return;
      running.add(next);
      next.granted();
    },
    abortQueued(error) {
      // Each abort takes its holder out of the queue (its release), so work on a copy.
      for (const holder of [...queue].reverse()) holder.abort(error);
    },
  };
}
