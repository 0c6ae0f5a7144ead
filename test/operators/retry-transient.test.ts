import { Observable as Stream, asyncScheduler, defer } from 'rxjs';
import type { Observable } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import { backoffDelay } from '../../src/operators/backoff.js';
import { retryTransient } from '../../src/operators/retry-transient.js';
import { createScheduler } from '../support/marbles.js';

const lost = new RunwareError({ code: 'connection', message: 'x' });
const invalid = new RunwareError({ code: 'validation', message: 'bad width', parameter: 'width' });
/** 100 ms, 200 ms, 400 ms, ... */
const delay = backoffDelay({ initial: 100 });

interface Notice {
  readonly attempt: number;
  readonly delay: number;
  readonly error: RunwareError;
}
const announce = (attempt: number, wait: number, error: RunwareError): Notice => ({ attempt, delay: wait, error });

/** Subscribes to the given observables in turn, one per subscription. */
function inTurn<T>(attempts: readonly Observable<T>[]): Observable<T> {
  let index = 0;
  return defer(() => {
    const next = attempts[Math.min(index, attempts.length - 1)]!;
    index += 1;
    return next;
  });
}

describe('retryTransient', () => {
  it('re-subscribes after a retryable RunwareError, waiting delay(attempt) each time', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10ms #', undefined, lost);
      expectObservable(source.pipe(retryTransient({ count: 3, delay }))).toBe('740ms #', undefined, lost);
      expectSubscriptions(source.subscriptions).toBe(['^ 9ms !', '110ms ^ 9ms !', '320ms ^ 9ms !', '730ms ^ 9ms !']);
    });
  });

  it('asks `delay` for each retry with the retry number from 1', () => {
    const delaySpy = vi.fn(() => 50);
    createScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('10ms #', undefined, lost).pipe(retryTransient({ count: 2, delay: delaySpy }))).toBe('130ms #', undefined, lost);
    });
    expect(delaySpy.mock.calls).toEqual([[1], [2]]);
  });

  it('delivers the values of the attempt that succeeds and completes with it', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('10ms #', undefined, lost);
      const working = cold('10ms a 10ms |');
      expectObservable(inTurn([failing, working]).pipe(retryTransient({ count: 3, delay }))).toBe('120ms a 10ms |');
      expectSubscriptions(failing.subscriptions).toBe('^ 9ms !');
      expectSubscriptions(working.subscriptions).toBe('110ms ^ 20ms !');
    });
  });

  it('lets a non-retryable RunwareError through after a single subscription', () => {
    const delaySpy = vi.fn(delay);
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10ms #', undefined, invalid);
      expectObservable(source.pipe(retryTransient({ count: 3, delay: delaySpy }))).toBe('10ms #', undefined, invalid);
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
    expect(delaySpy).not.toHaveBeenCalled();
  });

  it('lets a RunwareError explicitly marked not retryable through, whatever its code', () => {
    const final = new RunwareError({ code: 'connection', message: 'gone for good', retryable: false });
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10ms #', undefined, final);
      expectObservable(source.pipe(retryTransient({ count: 3, delay }))).toBe('10ms #', undefined, final);
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
  });

  it('lets errors that are not RunwareErrors through after a single subscription', () => {
    const bug = new TypeError('undefined is not a function');
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10ms #', undefined, bug);
      expectObservable(source.pipe(retryTransient({ count: 3, delay }))).toBe('10ms #', undefined, bug);
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
  });

  it('stops at a non-retryable error that follows retryable ones', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const first = cold('10ms #', undefined, lost);
      const second = cold('10ms #', undefined, invalid);
      expectObservable(inTurn([first, second]).pipe(retryTransient({ count: 3, delay }))).toBe('120ms #', undefined, invalid);
    });
  });

  it('gives up with the last error after `count` retries', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10ms #', undefined, lost);
      expectObservable(source.pipe(retryTransient({ count: 1, delay }))).toBe('120ms #', undefined, lost);
      expectSubscriptions(source.subscriptions).toBe(['^ 9ms !', '110ms ^ 9ms !']);
    });
  });

  it('does not retry at all with a count of 0', () => {
    const delaySpy = vi.fn(delay);
    const announceSpy = vi.fn(announce);
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Notice>('10ms #', undefined, lost);
      expectObservable(source.pipe(retryTransient({ count: 0, delay: delaySpy, announce: announceSpy }))).toBe('10ms #', undefined, lost);
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
    expect(delaySpy).not.toHaveBeenCalled();
    expect(announceSpy).not.toHaveBeenCalled();
  });

  it('emits the announcement of each retry when the error arrives, before the wait', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Notice>('10ms #', undefined, lost);
      const values = {
        r: { attempt: 1, delay: 100, error: lost },
        s: { attempt: 2, delay: 200, error: lost },
      };
      expectObservable(source.pipe(retryTransient<Notice>({ count: 2, delay, announce }))).toBe('10ms r 109ms s 209ms #', values, lost);
      expectSubscriptions(source.subscriptions).toBe(['^ 9ms !', '110ms ^ 9ms !', '320ms ^ 9ms !']);
    });
  });

  it('announces nothing for errors it does not retry', () => {
    const announceSpy = vi.fn(announce);
    createScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Notice>('10ms #', undefined, invalid).pipe(retryTransient({ count: 3, delay, announce: announceSpy }))).toBe(
        '10ms #',
        undefined,
        invalid,
      );
    });
    expect(announceSpy).not.toHaveBeenCalled();
  });

  it('announces, retries and then completes when the retried source completes', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const failing = cold<Notice | string>('10ms #', undefined, lost);
      const working = cold<Notice | string>('10ms a 10ms |');
      const values = { r: { attempt: 1, delay: 100, error: lost }, a: 'a' };
      expectObservable(inTurn([failing, working]).pipe(retryTransient<Notice | string>({ count: 3, delay, announce }))).toBe(
        '10ms r 109ms a 10ms |',
        values,
      );
    });
  });

  it('completes when the source completes, with or without announcements', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('10ms a 10ms |');
      expectObservable(source.pipe(retryTransient({ count: 3, delay }))).toBe('10ms a 10ms |');
      expectObservable(source.pipe(retryTransient<string>({ count: 3, delay, announce: () => 'retrying' }))).toBe('10ms a 10ms |');
    });
  });

  it('stops waiting and does not re-subscribe when unsubscribed during the wait', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10ms #', undefined, lost);
      expectObservable(source.pipe(retryTransient({ count: 3, delay })), '^ 50ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
  });

  it('does not re-subscribe when the subscriber unsubscribes on the announcement of a retry', () => {
    createScheduler().run(({ cold, flush }) => {
      const source = cold<string>('10ms #', undefined, lost);
      const subscription = source.pipe(retryTransient<string>({ count: 3, delay, announce: () => 'retrying' })).subscribe((value) => {
        if (value === 'retrying') subscription.unsubscribe();
      });
      flush();
      // Re-subscribing with nobody listening would send the task again.
      expect(source.subscriptions).toHaveLength(1);
    });
  });

  it('lets go of the retried attempt when the subscriber unsubscribes while that attempt is subscribed', () => {
    createScheduler().run(({ flush }) => {
      let attempts = 0;
      let released = false;
      const source = new Stream<string>((subscriber) => {
        attempts += 1;
        if (attempts === 1) {
          asyncScheduler.schedule(() => subscriber.error(lost), 10);
          return undefined;
        }
        // The retried attempt emits as it is subscribed (a replay, a cache).
        subscriber.next('again');
        return () => (released = true);
      });
      const subscription = source.pipe(retryTransient({ count: 3, delay })).subscribe((value) => {
        if (value === 'again') subscription.unsubscribe();
      });
      flush();
      expect(attempts).toBe(2);
      expect(released).toBe(true);
    });
  });
});
