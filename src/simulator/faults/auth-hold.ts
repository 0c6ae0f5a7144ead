import type { TimerHandle, Timers } from '../timers.js';
import type { Wire } from '../wire.js';

/**
 * Delayed authentication: from its authentication frame on, a socket's inbound frames (a REST
 * request's body) are held and then handled in order, so the auth reply (and the session's replay) leaves late while frames the
 * client sent meanwhile still come after it, as on a server busy authenticating.
 */
export interface AuthHold {
  /** Queues `message` and returns true when the socket is being held. */
  queue(connection: Wire, message: string): boolean;
  /** Starts holding with `message`; after `ms` every held message goes to `next`, in order. */
  hold(connection: Wire, message: string, ms: number, next: (message: string) => void): void;
  /** Drops a closed socket's held frames. */
  forget(connection: Wire): void;
  readonly size: number;
}

/** Creates the hold; `onReleased` runs when the last hold ends (so the inbound hook can go). */
export const createAuthHold = (timers: Timers, onReleased: () => void): AuthHold => {
  const held = new Map<Wire, { readonly messages: string[]; readonly timer: TimerHandle }>();
  const end = (connection: Wire) => {
    const entry = held.get(connection);
    if (entry === undefined) return undefined;
    held.delete(connection);
    if (held.size === 0) onReleased();
    return entry;
  };
  return {
    queue(connection, message) {
      const entry = held.get(connection);
      entry?.messages.push(message);
      return entry !== undefined;
    },
    hold(connection, message, ms, next) {
      const timer = timers.after(ms, () => {
        const entry = end(connection);
        // A socket that closed or froze meanwhile never reads them, as the server never got to.
        if (entry === undefined || connection.isGone() || connection.isFrozen()) return;
        for (const held of entry.messages) next(held);
      });
      held.set(connection, { messages: [message], timer });
    },
    forget(connection) {
      const entry = end(connection);
      if (entry !== undefined) timers.cancel(entry.timer);
    },
    get size() {
      return held.size;
    },
  };
};
