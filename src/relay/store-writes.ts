import type { RelayLog } from './relay-log.js';

/**
 * The store writes of the sessions that nobody waits for as they happen (a session refreshed, a
 * frame kept), followed so that a relay closing can wait for them all and hand its sessions over
 * complete. A write that fails is logged, never thrown: the page it was for has nobody to tell.
 */
export class StoreWrites {
  readonly #writes = new Set<Promise<void>>();

  constructor(private readonly log: RelayLog | undefined) {}

  /** Runs a store write and follows it until it ends; a failure (at once or later) is logged. */
  track(start: () => void | Promise<void>): void {
    let write: void | Promise<void>;
    try {
      write = start();
    } catch (error) {
      this.#failed(error);
      return;
    }
    if (write === undefined) return;
    const tracked = write.then(
      () => undefined,
      (error: unknown) => this.#failed(error),
    );
    this.#writes.add(tracked);
    void tracked.then(() => this.#writes.delete(tracked));
  }

  /** Resolves once no write is under way, those that the ones waited for started included. */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes);
  }

  #failed(error: unknown): void {
    this.log?.('warn', 'relay.store', `a store write failed: ${String(error)}`, 'relay');
  }
}
