import type { MonoTypeOperatorFunction } from 'rxjs';
import { Observable } from 'rxjs';

/** Every request of a client that has been subscribed and has not ended, to end them together. */
export interface RequestRegistry {
  /** Registers each subscription to the request for as long as it runs (queued, waiting, in flight). */
  readonly track: <T>() => MonoTypeOperatorFunction<T>;
  /** Ends every registered request with an error, newest first. */
  abortAll(error: () => Error): void;
}

interface Entry {
  readonly abort: (error: Error) => void;
}

/**
 * Creates the registry. `disconnect()` must end every request, not only those holding a route
 * on the connection: requests queued behind `maxInFlight`, waiting out a retry's backoff or the
 * rate gate would otherwise carry on later and dial a new socket. Newest first, so requests
 * still queued are gone before the ones in flight free their slots.
 *
 * @returns An empty registry.
 */
export function createRequestRegistry(): RequestRegistry {
  const entries = new Set<Entry>();
  return {
    track: <T>() =>
      (source: Observable<T>) =>
        new Observable<T>((subscriber) => {
          const entry: Entry = { abort: (error) => subscriber.error(error) };
          entries.add(entry);
          const subscription = source.subscribe(subscriber);
          return () => {
            entries.delete(entry);
            subscription.unsubscribe();
          };
        }),
    abortAll(error) {
      for (const entry of [...entries].reverse()) entry.abort(error());
    },
  };
}
