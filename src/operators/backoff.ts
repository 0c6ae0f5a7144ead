/** How waits grow between attempts; shared by reconnection, task retries and the rate gate. */
export interface BackoffOptions {
  /** The first wait, in ms. */
  readonly initial: number;
  /** Growth per attempt; 2 doubles. Default 2. */
  readonly factor?: number;
  /** The longest wait before jitter, in ms. Default 30 000. */
  readonly max?: number;
  /** Up to this many ms of random delay added after the cap, so clients spread out. Default 0. */
  readonly jitter?: number;
  /** The random source, in [0, 1); injectable for tests. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Builds an exponential backoff schedule: `min(initial × factor^(attempt−1), max) + jitter`.
 * Jitter is added after the cap so that clients which all hit the cap still spread out.
 *
 * @param options The schedule's shape.
 * @returns A function from the attempt number (1 for the first retry) to the wait in ms.
 *
 * @example
 * ```ts
 * const delay = backoffDelay({ initial: 1000 });
 * [1, 2, 3].map(delay); // [1000, 2000, 4000]
 * ```
 */
export function backoffDelay(options: BackoffOptions): (attempt: number) => number {
  const { initial, factor = 2, max = 30_000, jitter = 0, random = Math.random } = options;
  return (attempt) => {
    const grown = initial * factor ** Math.max(0, attempt - 1);
    return Math.min(grown, max) + (jitter > 0 ? random() * jitter : 0);
  };
}
