/** What a wait resolves to when its page went away first. */
export const GONE: unique symbol = Symbol('page gone');
export type Gone = typeof GONE;

/**
 * The moment a page goes away (its socket closed, its request aborted, or the relay let it go),
 * for the work done on its behalf: each wait gives up then, and nothing is waited for after.
 * Each wait registers a give-up of its own, dropped once its work settles, rather than racing one
 * shared promise of the end: each race would stay attached to that promise, with what its work
 * resolved to (a step holding its task's inputs), for as long as the page lives.
 */
export class Departure {
  #gone = false;
  readonly #giveUps = new Set<() => void>();

  /** Whether the page has gone. */
  get gone(): boolean {
    return this.#gone;
  }

  /** Waits for `work` unless the page goes first. */
  unless<T>(work: Promise<T>): Promise<T | Gone> {
    if (this.#gone) return Promise.resolve(GONE);
    let giveUp = (): void => undefined;
    // A promise of this wait's own, which nothing holds once the work has settled.
    const gone = new Promise<Gone>((resolve) => (giveUp = () => resolve(GONE)));
    this.#giveUps.add(giveUp);
    return Promise.race([work, gone]).finally(() => this.#giveUps.delete(giveUp));
  }

  /** The page has gone: every wait gives up. */
  now(): void {
    this.#gone = true;
    for (const giveUp of [...this.#giveUps]) giveUp();
    this.#giveUps.clear();
  }
}
