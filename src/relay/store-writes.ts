import { asyncScheduler } from 'rxjs';
import type { RelayLog } from './relay-log.js';

/** Kinds of unfinished write a summary names one by one; the rest are counted. */
const MAX_NAMED = 10;

/**
 * The store writes that nobody waits for as they happen (a session refreshed, a frame kept, a
 * result's media claimed), followed so that a relay closing can wait for them all and hand its
 * sessions and claims over complete, or say what it could not hand over when the store does not
 * answer in time. A write that fails is logged, never thrown: the page it was for has nobody to tell.
 */
export class StoreWrites {
  /** Each write under way, with what it writes in words (`the session of user=alice`: no token, no key). */
  readonly #writes = new Map<Promise<void>, string>();

  constructor(private readonly log: RelayLog | undefined) {}

  /**
   * Runs a store write and follows it until it ends; a failure (at once or later) is logged.
   *
   * @param what What it writes, for the log.
   * @param start Starts the write.
   * @param ended Called once the write has ended, taken or failed (at once, when the store answered at once).
   */
  track(what: string, start: () => unknown, ended?: () => void): void {
    let write: unknown;
    try {
      write = start();
    } catch (error) {
      this.#failed(what, error);
      ended?.();
      return;
    }
    if (!isThenable(write)) {
      ended?.();
      return;
    }
    const tracked = Promise.resolve(write).then(
      () => undefined,
      (error: unknown) => this.#failed(what, error),
    );
    this.#writes.set(tracked, what);
    void tracked.then(() => {
      this.#writes.delete(tracked);
      ended?.();
    });
  }

  /** Resolves once no write is under way, those that the ones waited for started included. */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes.keys());
  }

  /**
   * Waits for the writes under way as {@link settled} does, but at most `ms`: a store that stops
   * answering must not keep a closing relay open.
   *
   * @returns `undefined` once every write ended in time; else what is still unwritten, in words.
   */
  settledWithin(ms: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = asyncScheduler.schedule(() => resolve(summarise([...this.#writes.values()])), ms);
      void this.settled().then(() => {
        // The timer goes with the wait: nothing of the relay's is left to keep Node running.
        timer.unsubscribe();
        resolve(undefined);
      });
    });
  }

  #failed(what: string, error: unknown): void {
    this.log?.('warn', 'relay.store', `${what} failed: ${String(error)}`, 'relay');
  }
}

/** Whether a store's answer is still to come (a promise of any library). */
const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

/** `the session of user=alice, a frame kept for the session of user=alice (×3)`: each kind once, the first few. */
function summarise(whats: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const what of whats) counts.set(what, (counts.get(what) ?? 0) + 1);
  const named = [...counts].slice(0, MAX_NAMED).map(([what, count]) => (count === 1 ? what : `${what} (×${count})`));
  const more = counts.size - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}
