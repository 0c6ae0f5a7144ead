import type { Observable } from 'rxjs';
import type { RunHelpers } from 'rxjs/testing';
import { describe, expect, it, vi } from 'vitest';
import { pollUntilDone } from '../../src/operators/poll-until-done.js';
import { createScheduler } from '../support/marbles.js';

interface Answer {
  readonly status: 'processing' | 'success';
  readonly poll: number;
}

const answers = {
  a: { status: 'processing', poll: 1 },
  b: { status: 'processing', poll: 2 },
  c: { status: 'success', poll: 3 },
} satisfies Record<string, Answer>;

type Cold = ReturnType<RunHelpers['cold']>;

const isDone = (answer: Answer): boolean => answer.status !== 'processing';
/** 1 s, then 500 ms, then 750 ms: the first waits of the official SDKs' schedule. */
const waits = [1000, 500, 750];
const delayOf = (attempt: number): number => waits[attempt - 1] ?? 10_000;

/** A poll function answering from a list of cold observables, one per attempt. */
function pollsFrom(polls: readonly Cold[]): (attempt: number) => Observable<Answer> {
  return (attempt) => {
    const poll = polls[attempt - 1];
    if (poll === undefined) throw new Error(`unexpected poll ${attempt}`);
    return poll as Observable<Answer>;
  };
}

describe('pollUntilDone', () => {
  it('polls at the scheduled times, emits each answer and completes right after the final one', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('100ms a|', answers), cold('100ms b|', answers), cold('100ms c|', answers)];
      const result = pollUntilDone({ poll: pollsFrom(polls), isDone, delay: delayOf });
      // Wait 1 s, poll (100 ms), wait 500 ms, poll, wait 750 ms, poll: answers at 1.1 s, 1.7 s, 2.55 s.
      expectObservable(result).toBe('1100ms a 599ms b 849ms (c|)', answers);
      expectSubscriptions(polls[0]!.subscriptions).toBe('1000ms ^ 99ms !');
      expectSubscriptions(polls[1]!.subscriptions).toBe('1600ms ^ 99ms !');
      expectSubscriptions(polls[2]!.subscriptions).toBe('2450ms ^ 99ms !');
    });
  });

  it('emits at 1 s, 1.5 s and 2.25 s after the previous answer when polls answer at once', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const polls = [cold('a|', answers), cold('b|', answers), cold('c|', answers)];
      const result = pollUntilDone({ poll: pollsFrom(polls), isDone, delay: (attempt) => 1000 * 1.5 ** (attempt - 1) });
      expectObservable(result).toBe('1000ms a 1499ms b 2249ms (c|)', answers);
    });
  });

  it('numbers the polls from 1 and uses only the first value of each', () => {
    const poll = vi.fn<(attempt: number) => Observable<Answer>>();
    createScheduler().run(({ cold, expectObservable }) => {
      const polls = [cold('a 10ms c|', answers), cold('c|', answers)];
      poll.mockImplementation(pollsFrom(polls));
      expectObservable(pollUntilDone({ poll, isDone, delay: () => 100 })).toBe('100ms a 99ms (c|)', answers);
    });
    expect(poll.mock.calls).toEqual([[1], [2]]);
  });

  it('passes the attempt number and the previous answer to `delay`', () => {
    const delay = vi.fn(delayOf);
    createScheduler().run(({ cold, expectObservable }) => {
      const polls = [cold('a|', answers), cold('b|', answers), cold('c|', answers)];
      expectObservable(pollUntilDone({ poll: pollsFrom(polls), isDone, delay })).toBe('1000ms a 499ms b 749ms (c|)', answers);
    });
    expect(delay.mock.calls).toEqual([
      [1, undefined],
      [2, answers.a],
      [3, answers.b],
    ]);
  });

  it('polls once when the first answer is already final', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('50ms c|', answers)];
      expectObservable(pollUntilDone({ poll: pollsFrom(polls), isDone, delay: delayOf })).toBe('1050ms (c|)', answers);
      expectSubscriptions(polls[0]!.subscriptions).toBe('1000ms ^ 49ms !');
    });
  });

  it('stops polling when unsubscribed during a wait', () => {
    const poll = vi.fn<(attempt: number) => Observable<Answer>>();
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('100ms a|', answers), cold('100ms b|', answers)];
      poll.mockImplementation(pollsFrom(polls));
      expectObservable(pollUntilDone({ poll, isDone, delay: delayOf }), '^ 1300ms !').toBe('1100ms a', answers);
      expectSubscriptions(polls[0]!.subscriptions).toBe('1000ms ^ 99ms !');
      expectSubscriptions(polls[1]!.subscriptions).toBe([]);
    });
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it('stops the poll in progress and polls no more when unsubscribed during a poll', () => {
    const poll = vi.fn<(attempt: number) => Observable<Answer>>();
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const polls = [cold('100ms a|', answers), cold('100ms b|', answers)];
      poll.mockImplementation(pollsFrom(polls));
      expectObservable(pollUntilDone({ poll, isDone, delay: delayOf }), '^ 1050ms !').toBe('');
      expectSubscriptions(polls[0]!.subscriptions).toBe('1000ms ^ 50ms !');
    });
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it('ends with the error of a failed poll and polls no more', () => {
    const failure = new Error('poll failed');
    const poll = vi.fn<(attempt: number) => Observable<Answer>>();
    createScheduler().run(({ cold, expectObservable }) => {
      const polls = [cold('100ms a|', answers), cold('100ms #', answers, failure), cold('c|', answers)];
      poll.mockImplementation(pollsFrom(polls));
      expectObservable(pollUntilDone({ poll, isDone, delay: delayOf })).toBe('1100ms a 599ms #', answers, failure);
    });
    expect(poll).toHaveBeenCalledTimes(2);
  });

  it('waits with the given `wait` instead of a timer, passing it the delay', () => {
    const wait = vi.fn<(ms: number) => Observable<unknown>>();
    createScheduler().run(({ cold, expectObservable }) => {
      // A clock that ticks 300 ms after each wait starts (and again later): only its first tick counts.
      wait.mockImplementation(() => cold('300ms t 10ms t'));
      const polls = [cold('a|', answers), cold('b|', answers), cold('c|', answers)];
      expectObservable(pollUntilDone({ poll: pollsFrom(polls), isDone, delay: delayOf, wait })).toBe('300ms a 299ms b 299ms (c|)', answers);
    });
    expect(wait.mock.calls).toEqual([[1000], [500], [750]]);
  });

  it('counts afresh for each subscriber', () => {
    const delay = vi.fn(() => 100);
    createScheduler().run(({ cold, expectObservable }) => {
      const polled = pollUntilDone({ poll: () => cold<Answer>('c|', answers), isDone, delay });
      expectObservable(polled).toBe('100ms (c|)', answers);
      expectObservable(polled).toBe('100ms (c|)', answers);
    });
    expect(delay.mock.calls).toEqual([
      [1, undefined],
      [1, undefined],
    ]);
  });
});
