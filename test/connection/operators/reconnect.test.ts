import { Observable, defer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { LinkEvent } from '../../../src/connection/link-event.js';
import { reconnect } from '../../../src/connection/reconnect.js';
import type { ReconnectOptions } from '../../../src/connection/reconnect.js';
import { RunwareError } from '../../../src/errors/runware-error.js';
import { createScheduler, errorMatching } from '../../support/marbles.js';

const send = (): boolean => true;
const OPEN: LinkEvent = { type: 'open', sessionUUID: 'S1', resumed: false, send };
const links = { o: OPEN };
const lost = new RunwareError({ code: 'connection', message: 'The connection closed (code 1006)' });
const rejected = new RunwareError({ code: 'auth', message: 'Invalid API key', retryable: false, serverCode: 'invalidApiKey' });

const options = (overrides: Partial<ReconnectOptions> = {}): ReconnectOptions => ({
  initialDelay: 1000,
  maxDelay: 30_000,
  jitter: 0,
  attempts: Infinity,
  ...overrides,
});

const reconnecting = (attempt: number, delay: number, error: unknown = lost): LinkEvent =>
  ({ type: 'reconnecting', attempt, delay, error }) as LinkEvent;

/** A link that subscribes to the given observables in turn, one per (re)subscription. */
function inTurn(sockets: readonly Observable<LinkEvent>[]): Observable<LinkEvent> {
  let index = 0;
  return defer(() => {
    const next = sockets[index];
    index += 1;
    if (next === undefined) throw new Error(`unexpected subscription ${index}`);
    return next;
  });
}

describe('reconnect', () => {
  it('fails at once, with a single subscription, when the link never opened', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold<LinkEvent>('10ms #', links, lost);
      expectObservable(link.pipe(reconnect(options()))).toBe('10ms #', undefined, lost);
      expectSubscriptions(link.subscriptions).toBe('^ 9ms !');
    });
  });

  it('after an open, reports `reconnecting` and re-subscribes after the backoff delay, doubling from initialDelay', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('10ms #', links, lost), cold<LinkEvent>('10ms #', links, lost), cold<LinkEvent>('o', links)];
      expectObservable(inTurn(sockets).pipe(reconnect(options()))).toBe('o 9ms a 1009ms b 2009ms c 3999ms o', {
        o: OPEN,
        a: reconnecting(1, 1000),
        b: reconnecting(2, 2000),
        c: reconnecting(3, 4000),
      });
      // One subscription at a time: each socket is dropped before the next is dialled.
      expectSubscriptions(sockets[0]!.subscriptions).toBe('^ 9ms !');
      expectSubscriptions(sockets[1]!.subscriptions).toBe('1010ms ^ 9ms !');
      expectSubscriptions(sockets[2]!.subscriptions).toBe('3020ms ^ 9ms !');
      expectSubscriptions(sockets[3]!.subscriptions).toBe('7030ms ^');
    });
  });

  it('caps the delay at maxDelay', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const failing = () => cold<LinkEvent>('10ms #', links, lost);
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), failing(), failing(), failing(), cold<LinkEvent>('o', links)];
      expectObservable(inTurn(sockets).pipe(reconnect(options({ maxDelay: 3000 })))).toBe('o 9ms a 1009ms b 2009ms c 3009ms d 2999ms o', {
        o: OPEN,
        a: reconnecting(1, 1000),
        b: reconnecting(2, 2000),
        c: reconnecting(3, 3000),
        d: reconnecting(4, 3000),
      });
    });
  });

  it('adds jitter from the injected random source after the cap', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const failing = () => cold<LinkEvent>('10ms #', links, lost);
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), failing(), failing(), cold<LinkEvent>('o', links)];
      const jittered = options({ maxDelay: 2000, jitter: 1000, random: () => 0.25 });
      expectObservable(inTurn(sockets).pipe(reconnect(jittered))).toBe('o 9ms a 1259ms b 2259ms c 2249ms o', {
        o: OPEN,
        a: reconnecting(1, 1250),
        b: reconnecting(2, 2250),
        c: reconnecting(3, 2250),
      });
    });
  });

  it('resets the attempt counter once a link carried a frame after opening', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const frame: LinkEvent = { type: 'frame', frame: { data: [{ taskType: 'ping', pong: true }], errors: [] }, text: '' };
      const events = { ...links, f: frame };
      const sockets = [
        cold<LinkEvent>('o 9ms #', events, lost),
        cold<LinkEvent>('10ms #', events, lost),
        cold<LinkEvent>('o f 8ms #', events, lost),
        cold<LinkEvent>('10ms #', events, lost),
        cold<LinkEvent>('o', events),
      ];
      expectObservable(inTurn(sockets).pipe(reconnect(options()))).toBe('o 9ms a 1009ms b 1999ms o f 8ms a 1009ms b 1999ms o', {
        o: OPEN,
        f: frame,
        a: reconnecting(1, 1000),
        b: reconnecting(2, 2000),
      });
      expectSubscriptions(sockets[2]!.subscriptions).toBe('3020ms ^ 9ms !');
      expectSubscriptions(sockets[4]!.subscriptions).toBe('6040ms ^');
    });
  });

  it('does not reset it for a link that opens and is lost before carrying anything, so the limit is reached', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      // A server that accepts the key, then drops every socket at once.
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('o 9ms #', links, lost)];
      expectObservable(inTurn(sockets).pipe(reconnect(options({ attempts: 2 })))).toBe(
        'o 9ms a 999ms o 9ms b 1999ms o 9ms #',
        { o: OPEN, a: reconnecting(1, 1000), b: reconnecting(2, 2000) },
        errorMatching(RunwareError, { code: 'connection', message: `Gave up reconnecting after 2 attempts: ${lost.message}` }),
      );
    });
  });

  it('gives up with a `connection` error after `attempts` failures in a row', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('10ms #', links, lost), cold<LinkEvent>('10ms #', links, lost)];
      expectObservable(inTurn(sockets).pipe(reconnect(options({ attempts: 2 })))).toBe(
        'o 9ms a 1009ms b 2009ms #',
        { o: OPEN, a: reconnecting(1, 1000), b: reconnecting(2, 2000) },
        errorMatching(RunwareError, {
          code: 'connection',
          message: `Gave up reconnecting after 2 attempts: ${lost.message}`,
          retryable: false,
          cause: lost,
        }),
      );
      expectSubscriptions(sockets[2]!.subscriptions).toBe('3020ms ^ 9ms !');
    });
  });

  it('does not retry a non-retryable error such as a rejected key', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold<LinkEvent>('o 9ms #', links, rejected);
      expectObservable(link.pipe(reconnect(options()))).toBe('o 9ms #', links, rejected);
      expectSubscriptions(link.subscriptions).toBe('^ 9ms !');
    });
  });

  it('stops at a non-retryable error met while reconnecting', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('10ms #', links, rejected)];
      expectObservable(inTurn(sockets).pipe(reconnect(options()))).toBe('o 9ms a 1009ms #', { o: OPEN, a: reconnecting(1, 1000) }, rejected);
    });
  });

  it('treats an error that is not a RunwareError, after an open, as a retryable connection loss', () => {
    const bug = new Error('socket exploded');
    createScheduler().run(({ cold, expectObservable }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, bug), cold<LinkEvent>('o', links)];
      expectObservable(inTurn(sockets).pipe(reconnect(options()))).toBe('o 9ms a 999ms o', {
        o: OPEN,
        a: reconnecting(1, 1000, errorMatching(RunwareError, { code: 'connection', retryable: true, message: 'Error: socket exploded', cause: bug })),
      });
    });
  });

  it('passes every event of the link through', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const values: Record<string, LinkEvent> = {
        c: { type: 'connecting' },
        a: { type: 'authenticating' },
        o: OPEN,
        f: { type: 'frame', frame: { data: [], errors: [] }, text: '{"data":[]}' } as LinkEvent,
      };
      expectObservable(cold('c a o f', values).pipe(reconnect(options()))).toBe('c a o f', values);
    });
  });

  it('does not re-dial when unsubscribed during the backoff wait', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('o', links)];
      expectObservable(inTurn(sockets).pipe(reconnect(options())), '^ 500ms !').toBe('o 9ms a', { o: OPEN, a: reconnecting(1, 1000) });
      expectSubscriptions(sockets[1]!.subscriptions).toBe([]);
    });
  });
});

describe('reconnect, woken when the network is back', () => {
  it('ends a backoff wait under way when `wake` emits, and dials at once', () => {
    createScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('o', links)];
      const wake = hot('1s x');
      expectObservable(inTurn(sockets).pipe(reconnect(options({ initialDelay: 30_000, wake })))).toBe('o 9ms a 989ms o', { o: OPEN, a: reconnecting(1, 30_000) });
      expectSubscriptions(sockets[1]!.subscriptions).toBe('1s ^');
      // Listened to only while waiting: from the loss until the dial.
      expectSubscriptions(wake.subscriptions).toBe('10ms ^ 989ms !');
    });
  });

  it('ignores wake-ups while the link is up, and a source that emits on subscription dials once', () => {
    createScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('o', links)];
      const wake = hot('2ms x 1s x 1s x');
      expectObservable(inTurn(sockets).pipe(reconnect(options({ initialDelay: 30_000, wake })))).toBe('o 9ms a 992ms o', { o: OPEN, a: reconnecting(1, 30_000) });
      expectSubscriptions(wake.subscriptions).toBe('10ms ^ 992ms !');
    });
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), cold<LinkEvent>('o', links)];
      const replaying = cold('x');
      expectObservable(inTurn(sockets).pipe(reconnect(options({ initialDelay: 30_000, wake: replaying })))).toBe('o 9ms (ao)', { o: OPEN, a: reconnecting(1, 30_000) });
      expectSubscriptions(sockets[1]!.subscriptions).toBe('10ms ^');
      expectSubscriptions(replaying.subscriptions).toBe('10ms (^!)');
    });
  });
});

describe('reconnect, stopped by whoever is told a re-dial is connecting', () => {
  /** A socket that says `connecting` as it is subscribed (as the real link does), and records whether it was let go. */
  function announcing(then: Observable<LinkEvent>): { socket: Observable<LinkEvent>; released: () => boolean } {
    let released = false;
    const socket = new Observable<LinkEvent>((subscriber) => {
      subscriber.next({ type: 'connecting' });
      const rest = then.subscribe(subscriber);
      return () => {
        released = true;
        rest.unsubscribe();
      };
    });
    return { socket, released: () => released };
  }

  /** Subscribes, noting each event's type, and unsubscribes on the first `connecting`. */
  function stoppedOnConnecting(events: Observable<LinkEvent>) {
    const seen: string[] = [];
    const subscription = events.subscribe((event) => {
      seen.push(event.type);
      if (event.type === 'connecting') subscription.unsubscribe();
    });
    return { seen, subscription };
  }

  it('lets the new socket go when unsubscribed on its `connecting` event after the backoff', () => {
    createScheduler().run(({ cold, flush }) => {
      const second = announcing(cold<LinkEvent>('o', links));
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), second.socket];
      const { seen, subscription } = stoppedOnConnecting(inTurn(sockets).pipe(reconnect(options())));
      flush();
      expect(seen).toEqual(['open', 'reconnecting', 'connecting']);
      expect(second.released()).toBe(true);
      expect(subscription.closed).toBe(true);
    });
  });

  it('lets the new socket go when unsubscribed on its `connecting` event after a wake-up', () => {
    createScheduler().run(({ cold, hot, flush }) => {
      const second = announcing(cold<LinkEvent>('o', links));
      const sockets = [cold<LinkEvent>('o 9ms #', links, lost), second.socket];
      const wake = hot('1s x');
      const { seen } = stoppedOnConnecting(inTurn(sockets).pipe(reconnect(options({ initialDelay: 30_000, wake }))));
      flush();
      expect(seen).toEqual(['open', 'reconnecting', 'connecting']);
      expect(second.released()).toBe(true);
      expect(wake.subscriptions).toHaveLength(1);
      expect(wake.subscriptions[0]!.unsubscribedFrame).toBe(1000);
    });
  });
});
