import { describe, expect, it } from 'vitest';
import { createVisitorSessions } from '../../examples/relay/visitor-sessions.js';

/*
 * The relay example's demo login, on a clock of the test's own. The same browser (its cookie) is
 * the same user at every sign-in; what it hands out is forgotten once of no more use, so that an
 * example left running does not grow for ever: a token once it has expired, and a visitor once
 * their last token has been expired for a token lifetime (long enough for a page whose token
 * expired to come back for a fresh one as the same user).
 */

const LIFETIME = 10 * 60_000;

/** Sessions on a clock the test moves. */
function onClock() {
  let time = 0;
  const sessions = createVisitorSessions({ tokenLifetimeMs: LIFETIME, now: () => time });
  return { sessions, at: (ms: number) => void (time = ms) };
}

describe('the relay example’s visitor sessions', () => {
  it('give the same visitor the same user, with a fresh token each time', () => {
    const { sessions } = onClock();
    const first = sessions.signIn(undefined);
    const again = sessions.signIn(first.visitor);
    expect(first.newVisitor).toBe(true);
    expect(again).toMatchObject({ newVisitor: false, visitor: first.visitor, userId: first.userId });
    expect(again.token).not.toBe(first.token);
    expect(sessions.sessionOf(again.token)).toEqual({ userId: first.userId, expiresAt: LIFETIME });
  });

  it('forget a token once it has expired', () => {
    const { sessions, at } = onClock();
    const { token } = sessions.signIn(undefined);
    at(LIFETIME + 1);
    expect(sessions.sessionOf(token)).toBeUndefined();
    expect(sessions.size().tokens).toBe(0);
  });

  it('forget a visitor whose last token has been expired for a lifetime, and keep one who came back', () => {
    const { sessions, at } = onClock();
    const stays = sessions.signIn(undefined);
    const leaves = sessions.signIn(undefined);
    at(LIFETIME * 1.5);
    sessions.signIn(stays.visitor);
    at(LIFETIME * 2 + 1);
    expect(sessions.signIn(stays.visitor)).toMatchObject({ newVisitor: false, userId: stays.userId });
    expect(sessions.size().visitors).toBe(1);
    expect(sessions.signIn(leaves.visitor)).toMatchObject({ newVisitor: true });
    expect(sessions.signIn(leaves.visitor).userId).not.toBe(leaves.userId);
  });

  it('stay bounded however long they run: a new visitor a minute for a week keeps about a lifetime’s worth', () => {
    const { sessions, at } = onClock();
    const week = 7 * 24 * 60;
    for (let minute = 0; minute < week; minute += 1) {
      at(minute * 60_000);
      sessions.signIn(undefined);
    }
    // Tokens of the last lifetime; visitors of the last two.
    expect(sessions.size()).toEqual({ tokens: 11, visitors: 21 });
  });
});
