import type { MonoTypeOperatorFunction } from 'rxjs';
import { Observable } from 'rxjs';

/** A running request that can be ended from outside. */
export interface Abortable {
  /** Ends the request with `error` (its teardown then leaves the registry). */
  abort(error: Error): void;
}

/** Every request of a client that has started and has not ended, to end them together. */
export interface RequestRegistry {
  /** Registers a request that keeps its own state (a pushed task), until it leaves. */
  enter(request: Abortable): void;
  /** Unregisters a request; its teardown calls this. */
  leave(request: Abortable): void;
  /** Registers each subscription to a composed request for as long as it runs. */
  track<T>(): MonoTypeOperatorFunction<T>;
  /** Ends every registered request with an error, newest first. */
  abortAll(error: () => Error): void;
}

/**
 * Creates the registry. `disconnect()` must end every request, not only those holding a route
 * on the connection: requests waiting out a retry's backoff or the rate gate would otherwise
 * carry on later and dial a new socket (requests queued behind `maxInFlight` are the limiter's
 * to end, first). A pushed task registers itself, so nearly every request costs one set entry
 * here rather than a wrapping Observable with its closures.
 *
 * @returns An empty registry.
 */
export function createRequestRegistry(): RequestRegistry {
  const entries = new Set<Abortable>();
  const enter = (request: Abortable): void => void entries.add(request);
  const leave = (request: Abortable): void => void entries.delete(request);
  return {
    enter,
    leave,
    track: <T>() =>
      (source: Observable<T>) =>
        new Observable<T>((subscriber) => {
          const request: Abortable = { abort: (error) => subscriber.error(error) };
          enter(request);
          const subscription = source.subscribe(subscriber);
          return () => {
            leave(request);
            subscription.unsubscribe();
          };
        }),
    abortAll(error) {
      for (const request of [...entries].reverse()) request.abort(error());
    },
  };
}
