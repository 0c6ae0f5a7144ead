/*
 * The example's demo login: every visitor is a user of their own, remembered by a cookie, so that
 * the page's token function (called at every reconnection) gets a fresh token for the same user,
 * and a reconnection keeps the user's tasks. A real app checks who is asking, and keeps its
 * sessions in its own store.
 */
import { randomBytes } from 'node:crypto';

/** What a token stands for. */
export interface TokenSession {
  readonly userId: string;
  /** When the token stops being valid (ms since the epoch). */
  readonly expiresAt: number;
}

/** A sign-in: the token for the page, and the visitor id for its cookie. */
export interface SignIn extends TokenSession {
  readonly token: string;
  readonly visitor: string;
  /** The visitor id is new: the cookie is to be set. */
  readonly newVisitor: boolean;
}

/** Options of {@link createVisitorSessions}. */
export interface VisitorSessionsOptions {
  /** How long a token is valid, in ms. */
  readonly tokenLifetimeMs: number;
  /** The clock (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number;
}

/** The example's tokens and visitors. */
export interface VisitorSessions {
  /** Signs in the visitor of a cookie (a new visitor, when it is unknown): a fresh token for their user. */
  signIn(visitor: string | undefined): SignIn;
  /** The session of a token, while the token is valid. */
  sessionOf(token: string): TokenSession | undefined;
  /** How many tokens and visitors are remembered. */
  size(): { readonly tokens: number; readonly visitors: number };
}

/**
 * Creates the example's visitor sessions.
 *
 * @param options The token lifetime and the clock.
 * @returns The sessions.
 */
export function createVisitorSessions(options: VisitorSessionsOptions): VisitorSessions {
  const { tokenLifetimeMs, now = Date.now } = options;
  /** Session tokens handed out, with whose they are and when they stop being valid. */
  const tokens = new Map<string, TokenSession>();
  /** Visitors by the random id in their cookie: the same browser is the same user at every call. */
  const visitors = new Map<string, string>();
  return {
    signIn(cookie) {
      let visitor = cookie;
      let userId = visitor === undefined ? undefined : visitors.get(visitor);
      const newVisitor = visitor === undefined || userId === undefined;
      if (visitor === undefined || userId === undefined) {
        visitor = randomBytes(24).toString('base64url');
        userId = `visitor-${randomBytes(4).toString('hex')}`;
        visitors.set(visitor, userId);
      }
      const token = randomBytes(32).toString('base64url');
      const session = { userId, expiresAt: now() + tokenLifetimeMs };
      tokens.set(token, session);
      return { token, visitor, newVisitor, ...session };
    },
    sessionOf(token) {
      const session = tokens.get(token);
      return session === undefined || session.expiresAt < now() ? undefined : session;
    },
    size: () => ({ tokens: tokens.size, visitors: visitors.size }),
  };
}
