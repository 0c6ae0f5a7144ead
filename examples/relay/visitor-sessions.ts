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

/** A visitor: their user, and when their last token expires. */
interface Visitor {
  readonly userId: string;
  readonly lastExpiresAt: number;
}

/**
 * Creates the example's visitor sessions. What they hand out is forgotten once of no more use, so
 * that an example left running does not grow for ever: a token once it has expired, and a visitor
 * once their last token has been expired for a token lifetime (time enough for a page whose token
 * expired to come back for a fresh one as the same user). Both maps are kept in the order things
 * expire (every token lives as long; a visitor who signs in again moves to the end), so each
 * sweep stops at the first entry still of use.
 *
 * @param options The token lifetime and the clock.
 * @returns The sessions.
 */
export function createVisitorSessions(options: VisitorSessionsOptions): VisitorSessions {
  const { tokenLifetimeMs, now = Date.now } = options;
  /** Session tokens handed out, with whose they are and when they stop being valid. */
  const tokens = new Map<string, TokenSession>();
  /** Visitors by the random id in their cookie: the same browser is the same user at every call. */
  const visitors = new Map<string, Visitor>();

  const sweep = (time: number): void => {
    for (const [token, session] of tokens) {
      if (session.expiresAt >= time) break;
      tokens.delete(token);
    }
    for (const [visitor, { lastExpiresAt }] of visitors) {
      if (lastExpiresAt + tokenLifetimeMs >= time) break;
      visitors.delete(visitor);
    }
  };

  return {
    signIn(cookie) {
      const time = now();
      sweep(time);
      const known = cookie === undefined ? undefined : visitors.get(cookie);
      const visitor = known === undefined || cookie === undefined ? randomBytes(24).toString('base64url') : cookie;
      const userId = known?.userId ?? `visitor-${randomBytes(4).toString('hex')}`;
      const token = randomBytes(32).toString('base64url');
      const session = { userId, expiresAt: time + tokenLifetimeMs };
      tokens.set(token, session);
      // Deleted first, so that a visitor who came back is last in the map, as last to expire.
      visitors.delete(visitor);
      visitors.set(visitor, { userId, lastExpiresAt: session.expiresAt });
      return { token, visitor, newVisitor: known === undefined, ...session };
    },
    sessionOf(token) {
      const time = now();
      sweep(time);
      // Checked still: a clock set back puts a token out of order, and the sweep stops before it.
      const session = tokens.get(token);
      return session !== undefined && session.expiresAt >= time ? session : undefined;
    },
    size: () => ({ tokens: tokens.size, visitors: visitors.size }),
  };
}
