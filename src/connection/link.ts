import { Observable } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import { withoutSecret } from '../errors/without-secret.js';
import { openSocket } from '../transport/open-socket.js';
import type { WebSocketConstructor } from '../transport/socket-like.js';
import type { ApiKey, ApiKeySource } from './api-key.js';
import { toApiKey } from './api-key.js';
import { authenticate } from './authenticate.js';
import type { LinkEvent } from './link-event.js';
import type { HeartbeatOptions } from './liveness.js';
import { liveness } from './liveness.js';
import type { ReconnectOptions } from './reconnect.js';
import { reconnect } from './reconnect.js';

/** What a link needs to dial, authenticate, stay alive and come back. */
export interface LinkOptions {
  readonly url: string;
  /** The key, or where to read it at each authentication. */
  readonly apiKey: ApiKeySource | ApiKey;
  readonly WebSocket: WebSocketConstructor;
  /** Deadline for dialling plus authentication, in ms. */
  readonly authTimeout: number;
  readonly heartbeat: HeartbeatOptions;
  readonly reconnect: ReconnectOptions;
  /** Told when a socket the link let go of has finished closing. */
  readonly onSocketClosing?: (closed: Promise<void>) => void;
}

/**
 * The connection's lifeline as one cold Observable: dial, authenticate first (resuming the
 * session `sessionUUID()` names), prove the socket alive, and after a loss dial again with
 * backoff. Subscribing starts it; unsubscribing closes the socket and stops everything.
 *
 * @param options The endpoint, key, deadlines and policies.
 * @param sessionUUID Reads the session to resume when a socket opens.
 * @returns The link's events.
 */
export function link$(options: LinkOptions, sessionUUID: () => string | undefined): Observable<LinkEvent> {
  const apiKey = toApiKey(options.apiKey);
  const socket$ = openSocket(options.WebSocket, options.url, options.onSocketClosing).pipe(
    authenticate({ apiKey, sessionUUID }),
    liveness(options),
  );
  // One socket's life as reconnect sees it: `connecting` first, then its events; its error with
  // any echo of the key removed. Written out rather than startWith + catchError because every
  // frame passes through, and those two cost an inner subscription and a subscriber each.
  const dial$ = new Observable<LinkEvent>((subscriber) => {
    subscriber.next(CONNECTING);
    return socket$.subscribe({
      next: (event) => subscriber.next(event),
      error: (error: unknown) => subscriber.error(error instanceof RunwareError ? withoutSecret(error, apiKey.current) : error),
      complete: () => subscriber.complete(),
    });
  });
  return dial$.pipe(reconnect(options.reconnect));
}

const CONNECTING: LinkEvent = { type: 'connecting' };
