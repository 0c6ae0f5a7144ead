import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createPollClock } from '../../src/request/poll-clock.js';

const run = (test: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void): void =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(test);

describe('createPollClock', () => {
  it('fires a wait on the first tick no more than half a tick before its due time', () => {
    run(({ expectObservable }) => {
      expectObservable(createPollClock({ tick: 50, gather: 100 })(130)).toBe('150ms (a|)', { a: undefined });
      expectObservable(createPollClock({ tick: 50, gather: 100 })(120)).toBe('100ms (a|)', { a: undefined });
    });
  });

  it('gathers waits due soon after into the same tick, so their polls share a frame', () => {
    run(({ cold, expectObservable }) => {
      const wait = createPollClock({ tick: 50, gather: 100 });
      // Three tasks acknowledged 0, 30 and 90 ms apart, each polling 1000 ms later.
      expectObservable(wait(1000)).toBe('1000ms (a|)', { a: undefined });
      expectObservable(cold('30ms a').pipe(() => wait(1000)), '30ms ^').toBe('1000ms (a|)', { a: undefined });
      expectObservable(cold('90ms a').pipe(() => wait(1000)), '90ms ^').toBe('1000ms (a|)', { a: undefined });
    });
  });

  it('leaves waits due beyond the gathering reach for a later tick', () => {
    run(({ expectObservable }) => {
      const wait = createPollClock({ tick: 50, gather: 100 });
      expectObservable(wait(1000)).toBe('1000ms (a|)', { a: undefined });
      expectObservable(wait(1250)).toBe('1250ms (a|)', { a: undefined });
    });
  });

  it('stops ticking once nobody waits, and a wait given up never fires', () => {
    run(({ expectObservable }) => {
      const wait = createPollClock({ tick: 50, gather: 100 });
      expectObservable(wait(500), '^ 100ms !').toBe('');
      expectObservable(wait(300)).toBe('300ms (a|)', { a: undefined });
    });
  });
});
