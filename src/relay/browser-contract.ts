import type { IncomingMessage } from 'node:http';
import type { RelayErrorItem } from './refusals.js';
import type { RelayPolicy, RelayRefusal } from './relay-policy.js';
import type { BrowserLink } from './browser-link.js';
import type { TOO_MANY_SESSIONS } from './session-quota.js';

/** Close codes a browser sees. */
export const CLOSE = {
  /** The token was refused (as the API closes after a wrong key), or the socket never authenticated. */
  policy: 1008,
  /** A frame too large: above `maxPayload`, or above `maxUnauthenticatedPayload` before authenticating. */
  tooLarge: 1009,
  /** The application's `authorize` failed or took too long, the session store failed, or the relay could not set up the connection: try again later. */
  unavailable: 1011,
  /** The relay is restarting or shutting down: reconnect. */
  restart: 1012,
  /** The browser reads too slowly: more than `maxBufferedBytes` wait to be written to it. Reconnect and resume. */
  tryAgainLater: 1013,
  /** Idle, replaced by a newer socket of the same session, or the token expired. */
  normal: 1000,
} as const;

/** One checked task, ready to go upstream with the rest of its frame. */
export interface TaskStep {
  /** Sends it (and whatever it needs sent). */
  run(): void;
  /** It will not be sent after all: give back what checking it reserved. */
  cancel(): void;
}

/** What a browser connection does with what it is sent, once authenticated: the relay's rules. */
export interface BrowserHandler {
  /** Decides on a token; throws when it cannot decide now. */
  authorize(token: string, request: IncomingMessage): Promise<RelayPolicy | RelayRefusal | undefined>;
  /**
   * Opens or resumes a session for the user and gives it this socket; `ready` writes the answer
   * first. Resolves with `undefined`, giving the session to nobody, when the socket has closed
   * meanwhile, and with `TOO_MANY_SESSIONS` when the user has opened the most allowed lately.
   */
  attach(link: BrowserLink, userId: string, requested: unknown, ready: (sessionUUID: string, resumed: boolean) => void): Promise<string | undefined | typeof TOO_MANY_SESSIONS>;
  /** The socket lost its session (closed, or re-authenticated into another). */
  detach(link: BrowserLink, sessionUUID: string): void;
  /**
   * Checks one task for this user and session: a refusal, or the step that sends it. Steps run
   * together once every task of the frame is checked, so that they share upstream frames.
   */
  check(task: Readonly<Record<string, unknown>>, policy: RelayPolicy, sessionUUID: string, link: BrowserLink, dryRun: boolean): RelayErrorItem | TaskStep | Promise<RelayErrorItem | TaskStep>;
}

/** Timings and bounds of one browser connection. */
export interface BrowserLimits {
  readonly authTimeout: number;
  readonly authorizeTimeout: number;
  readonly idleTimeout: number;
  readonly maxUnauthenticatedPayload: number;
  readonly maxTasksPerFrame: number;
  readonly maxBufferedBytes: number;
}
