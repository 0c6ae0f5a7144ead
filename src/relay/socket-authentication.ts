import type { IncomingMessage } from 'node:http';
import type { BrowserHandler } from './browser-contract.js';
import { CLOSE } from './browser-contract.js';
import type { BrowserSocket } from './browser-socket.js';
import { authorizeInTime, hasExpired } from './authorize-in-time.js';
import { GONE } from './departure.js';
import type { DownstreamFrame } from './downstream.js';
import { tokenRefused } from './refusals.js';
import { MAX_NEW_SESSIONS_PER_USER, TOO_MANY_SESSIONS } from './session-quota.js';
import type { RelayPolicy } from './relay-policy.js';

/** What authenticating a socket needs from its connection, and tells it. */
export interface SignIn {
  readonly socket: BrowserSocket;
  readonly handler: BrowserHandler;
  /** The upgrade request, which `authorize` is given. */
  readonly request: IncomingMessage;
  readonly authorizeTimeout: number;
  readonly dryRun: boolean;
  /** Writes a frame to the browser, through the redacting encoder. */
  send(frame: DownstreamFrame): void;
  /** The session the socket has, if any. */
  session(): string | undefined;
  /** The token was accepted for this policy: the socket has left the session it had, and has none until `opened`. */
  accepted(policy: RelayPolicy): void;
  /** The socket's session is open; its answer is written next. */
  opened(sessionUUID: string): void;
  /** How many authentications the socket has made. */
  authentications: number;
}

/** Authentications a socket may make: each may open a session, which the store keeps for `sessionBufferMs`. */
const MAX_AUTHENTICATIONS = 8;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Authenticates a socket with the authentication task it sent, as the API does a client's: its
 * `apiKey` is the application's token, which `authorize` decides on (within
 * `authorizeTimeout`, and only for as long as the socket is open); an accepted token opens or
 * resumes a session of the user, and the answer names it. A socket authenticates at most 8 times
 * (the latest wins): each may open a session that the store keeps, for every user together, and
 * a frame of thousands would fill it; the ninth closes the socket (1008). A refusal is answered in the API's
 * failure shape and closes the socket (1008); an `authorize` or a store that cannot answer
 * closes it without an answer (1011), so that the client tries again later.
 *
 * @param sign The connection.
 * @param task The authentication task.
 * @returns The policy, once the socket has its session; `undefined` when it was turned away (and is closing) or has gone.
 */
export async function authenticateSocket(sign: SignIn, task: Readonly<Record<string, unknown>>): Promise<RelayPolicy | undefined> {
  const { socket, handler } = sign;
  if ((sign.authentications += 1) > MAX_AUTHENTICATIONS) {
    socket.log('warn', 'relay.tooManyAuthentications', `more than ${MAX_AUTHENTICATIONS} authentications on one socket`);
    socket.close(CLOSE.policy, 'Too many authentications');
    return undefined;
  }
  const token = task['apiKey'];
  if (typeof token !== 'string' || token.trim() === '') return refuse(sign, 'missingApiKey', 'Missing token. Send the token your application gave you as apiKey.');
  socket.redact(token);
  const ask = (given: string, request: IncomingMessage) => handler.authorize(given, request);
  const decision = await authorizeInTime(ask, token, sign.request, sign.authorizeTimeout, socket.departure, (level, event, detail) => socket.log(level, event, detail));
  if (decision === GONE) {
    socket.log('debug', 'relay.pageLeft', 'the page went away while authorize decided: its answer is not waited for');
    return undefined;
  }
  if (decision === 'failed') {
    socket.close(CLOSE.unavailable, 'Authorization unavailable');
    return undefined;
  }
  if (decision === undefined || !('userId' in decision)) return refuse(sign, decision?.code ?? 'tokenInvalid', decision?.message ?? 'The token was not accepted.');
  const policy = decision;
  if (hasExpired(policy)) return refuse(sign, 'tokenExpired', 'The token has expired. Ask your application for a new one.');
  const previous = sign.session();
  if (previous !== undefined) handler.detach(socket, previous);
  sign.accepted(policy);
  try {
    const session = await socket.departure.unless(
      handler.attach(socket, policy.userId, task['connectionSessionUUID'], (sessionUUID, resumed) => {
        sign.opened(sessionUUID);
        sign.send({ data: [{ taskType: 'authentication', connectionSessionUUID: sessionUUID }] });
        socket.log('debug', 'relay.authenticated', `user=${policy.userId} session=${resumed ? 'resumed' : 'new'}${sign.dryRun ? ' dryRun' : ''}`);
      }),
    );
    if (session === TOO_MANY_SESSIONS) {
      socket.log('warn', 'relay.tooManySessions', `user=${policy.userId} opened ${MAX_NEW_SESSIONS_PER_USER} sessions within sessionBufferMs; closing (1013)`);
      socket.close(CLOSE.tryAgainLater, 'Too many sessions');
      return undefined;
    }
    return session === GONE || session === undefined ? undefined : policy;
  } catch (error) {
    socket.log('warn', 'relay.sessionFailed', `a session could not be opened: ${describe(error)}`);
    socket.close(CLOSE.unavailable, 'Session store unavailable');
    return undefined;
  }
}

/** Answers an authentication with the API's failure shape (both spellings) and closes with 1008. */
function refuse(sign: SignIn, code: string, message: string): undefined {
  const item = tokenRefused(code, message);
  sign.send({ errors: [item], error: item });
  sign.socket.log('warn', 'relay.authRefused', `code=${code}`);
  sign.socket.close(CLOSE.policy, 'Invalid token');
  return undefined;
}
