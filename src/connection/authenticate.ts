import type { OperatorFunction } from 'rxjs';
import { Observable } from 'rxjs';
import { classifyServerCode, isTurnedAway } from '../errors/classify-server-code.js';
import { RunwareError } from '../errors/runware-error.js';
import { authenticationTask } from '../protocol/control-tasks.js';
import type { DataItem, ErrorItem, InboundFrame } from '../protocol/frames.js';
import { decodeFrame, encodeFrame } from '../transport/codec.js';
import type { SocketEvent } from '../transport/open-socket.js';
import { redactSecret } from '../util/redact.js';
import type { ApiKey, ApiKeySource } from './api-key.js';
import { toApiKey } from './api-key.js';
import type { LinkEvent } from './link-event.js';
import { withoutKey } from './without-key.js';

/** How a new socket authenticates. */
export interface AuthenticateOptions {
  /** The account's API key, or where to read it at each authentication. */
  readonly apiKey: ApiKeySource | ApiKey;
  /** Reads the session to resume when a socket opens (the last one the server gave). */
  readonly sessionUUID: () => string | undefined;
}

/**
 * Turns a socket's events into link events: the authentication frame goes out first, nothing
 * is reported `open` until the server acknowledges it, and every later message is decoded.
 * A rejected key ends the stream with a non-retryable `auth` error; a server error at
 * authentication, with a retryable error of its own category. A key given as a function
 * is read when the socket opens, and `authenticating` is reported once its frame is written.
 * How long all this may take is `liveness`'s deadline, which watches the link from the dial.
 *
 * @param options The key and the session to resume.
 * @returns An operator from socket events to link events.
 */
export function authenticate(options: AuthenticateOptions): OperatorFunction<SocketEvent, LinkEvent> {
  const { sessionUUID } = options;
  const apiKey = toApiKey(options.apiKey);
  // The state below is made for each subscription (one socket); every dial subscribes through
  // this layer, so it is one Observable rather than a defer around another.
  return (socket$) =>
    new Observable<LinkEvent>((subscriber) => {
      let send: ((text: string) => boolean) | undefined;
      let backlog: (() => number) | undefined;
      let requested: string | undefined;
      let authenticated = false;
      const onMessage = (text: string): LinkEvent[] | RunwareError => {
        const decoded = decodeFrame(text);
        if (!decoded.ok) return [{ type: 'invalidFrame', reason: decoded.reason, text }];
        // A server that echoes the key in an error must not carry it into a RunwareError.
        const frame = withoutKey(decoded.frame, apiKey.current);
        if (authenticated || send === undefined) return [{ type: 'frame', frame, text }];
        const rejection = frame.errors.find(isAuthError);
        if (rejection !== undefined) return authError(rejection, apiKey.current);
        const ack = frame.data.find((item) => item.taskType === 'authentication');
        if (ack === undefined) return [{ type: 'frame', frame, text }];
        authenticated = true;
        const granted = typeof ack['connectionSessionUUID'] === 'string' ? ack['connectionSessionUUID'] : undefined;
        const open: LinkEvent = { type: 'open', sessionUUID: granted, resumed: granted !== undefined && granted === requested, send, ...(backlog === undefined ? {} : { backlog }) };
        const rest = withoutItem(frame, ack);
        return rest.data.length + rest.errors.length + (rest.malformed?.length ?? 0) > 0 ? [open, { type: 'frame', frame: rest, text }] : [open];
      };
      /** Writes the authentication with the key read for this socket. */
      const sendAuthentication = (key: string, write: (text: string) => boolean): LinkEvent[] => {
        requested = sessionUUID();
        write(encodeFrame([authenticationTask(key, requested)]));
        send = write;
        return [AUTHENTICATING];
      };
      // Every inbound frame passes through the one observer below, not an inner subscription per frame.
      const emit = (outcome: LinkEvent[] | RunwareError): void => {
        if (outcome instanceof RunwareError) {
          subscriber.error(outcome);
          return;
        }
        for (const linkEvent of outcome) subscriber.next(linkEvent);
      };
      const authenticateWith = (key: string, write: (text: string) => boolean): LinkEvent[] | RunwareError => {
        try {
          return sendAuthentication(key, write);
        } catch (cause) {
          // Writing the authentication failed: the socket is unusable.
          return new RunwareError({ code: 'connection', message: 'Could not send the authentication.', cause });
        }
      };
      const onOpen = (write: (text: string) => boolean): void => {
        const key = apiKey.read();
        if (typeof key === 'string' || key instanceof RunwareError) {
          emit(typeof key === 'string' ? authenticateWith(key, write) : key);
          return;
        }
        // A key function that answers later: the socket waits, within the link's deadline.
        key.then(
          (value) => {
            if (!subscriber.closed) emit(authenticateWith(value, write));
          },
          (error: unknown) => subscriber.error(error),
        );
      };
      const input = socket$.subscribe({
        next: (event) => {
          if (event.type === 'open') {
            backlog = event.backlog;
            onOpen(event.send);
            return;
          }
          let outcome: LinkEvent[] | RunwareError;
          try {
            outcome = onMessage(event.data);
          } catch (cause) {
            // Anything that throws here is about one inbound frame, which must not end a healthy connection.
            outcome = [{ type: 'invalidFrame', reason: `could not be read (${cause instanceof Error ? cause.name : typeof cause})`, text: event.data }];
          }
          emit(outcome);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return input;
    });
}

const AUTHENTICATING: LinkEvent = { type: 'authenticating' };

function isAuthError(item: ErrorItem): boolean {
  return item.taskUUID === undefined && (item.taskType === 'authentication' || classifyServerCode(item.code) === 'auth');
}

/**
 * The error that ends a handshake. A key refused is final; a server that could not authenticate
 * just now (an `internalServerError`, a rate limit, a timeout, under `taskType: "authentication"`)
 * said nothing of the key: its error keeps its own category and is retryable, so a reconnect
 * dials again rather than failing every task in flight as if the key were wrong.
 */
function authError(item: ErrorItem, apiKey: string): RunwareError {
  const category = classifyServerCode(item.code);
  const transient = category === 'timeout' || isTurnedAway(category);
  return new RunwareError({
    code: transient ? category : 'auth',
    message: redactSecret(item.message, apiKey),
    retryable: transient,
    serverCode: item.code,
    parameter: item.parameter,
    taskType: 'authentication',
  });
}

function withoutItem(frame: InboundFrame, item: DataItem): InboundFrame {
  return { data: frame.data.filter((other) => other !== item), errors: frame.errors, malformed: frame.malformed };
}
