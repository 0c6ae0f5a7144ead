import { Observable } from 'rxjs';
import type { Subscription } from 'rxjs';

/** Caps how many requests run at once; the rest wait in order. */
export interface InFlightLimiter {
  /** Runs `source` once a slot is free; unsubscribing frees the slot or leaves the queue. */
  limit<T>(source: Observable<T>): Observable<T>;
  /**
   * Ends every request still waiting for a slot with an error. `disconnect()` calls it before
   * ending the running ones, whose freed slots would otherwise start (and send) queued ones.
   */
  abortQueued(error: () => Error): void;
}

interface Waiter {
  readonly start: () => void;
  readonly abort: (error: Error) => void;
}

/**
 * Creates a limiter with `max` slots, first come first served. A request holds its slot from
 * the moment it starts until it completes, errors or is unsubscribed (retries included), so
 * `max` bounds the tasks the server is working on for this client.
 *
 * @param max The number of slots; `Infinity` lets everything through at no cost.
 * @returns The limiter.
 */
export function createInFlightLimiter(max: number): InFlightLimiter {
  if (max === Infinity) return { limit: (source) => source, abortQueued: () => undefined };
  let running = 0;
  const queue: Waiter[] = [];
  const release = (): void => {
    running -= 1;
    queue.shift()?.start();
  };
  return {
    limit: <T>(source: Observable<T>) =>
      new Observable<T>((subscriber) => {
        let inner: Subscription | undefined;
        let holding = false;
        const waiter: Waiter = {
          start: () => {
            running += 1;
            holding = true;
            inner = source.subscribe(subscriber);
          },
          abort: (error) => subscriber.error(error),
        };
        if (running < max) waiter.start();
        else queue.push(waiter);
        return () => {
          inner?.unsubscribe();
          if (holding) release();
          else queue.splice(queue.indexOf(waiter), 1);
        };
      }),
    abortQueued(error) {
      // Each abort takes its waiter out of the queue (its teardown), so work on a copy.
      for (const waiter of [...queue].reverse()) waiter.abort(error());
    },
  };
}
