/**
 * Waits on a probe that events make true, for loopback test clients and servers: `wake()` after
 * each event re-checks every waiting probe, and `until` resolves with the probe's first defined
 * value, or rejects after its bound with words that say what was awaited.
 */
export interface Waiters {
  /** Re-checks every waiting probe (call after each event). */
  wake(): void;
  /**
   * Resolves with the probe's first defined value; bounded.
   *
   * @param probe Read now and after each `wake()`.
   * @param timeoutMs The bound.
   * @param failure The rejection's message, made when the bound passes.
   */
  until<T>(probe: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T>;
}

/** @returns An empty set of waiters. */
export function createWaiters(): Waiters {
  const waiting = new Set<() => void>();
  return {
    wake() {
      for (const check of [...waiting]) check();
    },
    until: <T>(probe: () => T | undefined, timeoutMs: number, failure: () => string) =>
      new Promise<T>((resolve, reject) => {
        const check = () => {
          const value = probe();
          if (value === undefined) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(value);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(failure()));
        }, timeoutMs);
        waiting.add(check);
        check();
      }),
  };
}
