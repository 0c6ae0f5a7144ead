import type { Observable } from 'rxjs';
import { fromEvent } from 'rxjs';

/** What a browser (a page or a worker) has that says the network came back. */
interface OnlineScope {
  readonly addEventListener: (type: string, listener: () => void) => void;
  readonly removeEventListener: (type: string, listener: () => void) => void;
  readonly navigator: { readonly onLine: boolean };
}

function isOnlineScope(scope: unknown): scope is OnlineScope {
  if (typeof scope !== 'object' || scope === null) return false;
  const { addEventListener, removeEventListener, navigator } = scope as Partial<Record<keyof OnlineScope, unknown>>;
  return typeof addEventListener === 'function' && typeof removeEventListener === 'function' && typeof navigator === 'object' && navigator !== null && typeof (navigator as { onLine?: unknown }).onLine === 'boolean';
}

/**
 * The platform's "the network is back" signal: a browser's `online` event, which a reconnect
 * wait ends on. Node has none (its sockets fail and are dialled again on the backoff alone).
 *
 * @param scope Where to listen: the global scope unless given.
 * @returns The events, or `undefined` where there are none.
 */
export function networkBack$(scope: unknown = globalThis): Observable<unknown> | undefined {
  return isOnlineScope(scope) ? fromEvent(scope, 'online') : undefined;
}
