import { NEVER, concat, defer, of, throwError } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import { answerWithin } from '../../src/operators/answer-within.js';
import { pollUntilDone } from '../../src/operators/poll-until-done.js';
import { retryTransient } from '../../src/operators/retry-transient.js';
import { taskTimeout } from '../../src/operators/task-timeout.js';

/*
 * A timer cannot wait longer than 2^31 − 1 ms (24.8 days): Node and browsers fire a longer one
 * after 1 ms. A deadline or wait that long given to an operator (a caller meaning "practically
 * never") is still kept in full. Fake timers behave as Node does there, so they show it.
 */

const LONG = 2 ** 31; // one ms more than a timer can hold
const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a wait longer than a timer can hold', () => {
  it('taskTimeout keeps a deadline of 2^31 ms and fires it then, not at once', () => {
    const seen: unknown[] = [];
    const subscription = NEVER.pipe(taskTimeout(LONG, () => new Error('deadline'))).subscribe({ error: (error) => seen.push(error) });
    vi.advanceTimersByTime(DAY);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(LONG - DAY);
    expect(seen).toEqual([new Error('deadline')]);
    subscription.unsubscribe();
  });

  it('answerWithin keeps a deadline of 2^31 ms after a marker', () => {
    const seen: unknown[] = [];
    const replies$ = concat(of('sent'), NEVER).pipe(answerWithin((reply) => reply === 'sent', LONG, () => new Error('no answer')));
    const subscription = replies$.subscribe({ error: (error) => seen.push(error) });
    vi.advanceTimersByTime(DAY);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(LONG - DAY);
    expect(seen).toEqual([new Error('no answer')]);
    subscription.unsubscribe();
  });

  it('pollUntilDone waits a delay of 2^31 ms before polling', () => {
    const polls: number[] = [];
    const subscription = pollUntilDone({
      poll: (attempt) => {
        polls.push(attempt);
        return of('done');
      },
      isDone: () => true,
      delay: () => LONG,
    }).subscribe();
    vi.advanceTimersByTime(DAY);
    expect(polls).toEqual([]);
    vi.advanceTimersByTime(LONG - DAY);
    expect(polls).toEqual([1]);
    subscription.unsubscribe();
  });

  it('retryTransient waits a delay of 2^31 ms before retrying', () => {
    let attempts = 0;
    const lost = new RunwareError({ code: 'connection', message: 'connection lost' });
    const source = defer(() => {
      attempts += 1;
      return throwError(() => lost);
    });
    const subscription = source.pipe(retryTransient({ count: 1, delay: () => LONG })).subscribe({ error: () => undefined });
    expect(attempts).toBe(1);
    vi.advanceTimersByTime(DAY);
    expect(attempts).toBe(1);
    vi.advanceTimersByTime(LONG - DAY);
    expect(attempts).toBe(2);
    subscription.unsubscribe();
  });
});
