import { describe, expect, it, vi } from 'vitest';
import { answerWithin } from '../../src/operators/answer-within.js';
import { createScheduler } from '../support/marbles.js';

const isMarker = (value: string): boolean => value.startsWith('s');
const noAnswer = new Error('no answer');

describe('answerWithin', () => {
  it('runs no deadline before the first marker', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('10s s 500ms a|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('10s s 500ms (a|)');
      expectSubscriptions(source.subscriptions).toBe('^ 10500ms !');
    });
  });

  it('restarts the deadline at each marker', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('s 800ms s 800ms s 800ms a|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('s 800ms s 800ms s 800ms (a|)');
    });
  });

  it('ends with the first value that is not a marker and unsubscribes the source', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s 100ms a 100ms b|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('s 100ms (a|)');
      expectSubscriptions(source.subscriptions).toBe('^ 100ms !');
    });
  });

  it('passes an answer that comes without any marker and completes', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('5s a 1s b|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('5s (a|)');
    });
  });

  it('errors with the given error when no answer arrives within the deadline after the marker', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s 2s a|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('s 999ms #', undefined, noAnswer);
      expectSubscriptions(source.subscriptions).toBe('^ 999ms !');
    });
  });

  it('measures the deadline from the latest marker', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('s 500ms s 2s a|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('s 500ms s 999ms #', undefined, noAnswer);
    });
  });

  it('errors at the deadline when the source ends after a marker without answering', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('s 100ms |');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('s 999ms #', undefined, noAnswer);
    });
  });

  it('completes with the source when it ends before any marker', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('100ms |');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, () => noAnswer))).toBe('100ms |');
    });
  });

  it('runs no deadline at all when the deadline is Infinity', () => {
    const makeError = vi.fn(() => noAnswer);
    createScheduler().run(({ cold, expectObservable }) => {
      const source = cold('s 59m s 59m a|');
      expectObservable(source.pipe(answerWithin(isMarker, Infinity, makeError))).toBe('s 59m s 59m (a|)');
    });
    expect(makeError).not.toHaveBeenCalled();
  });

  it('cancels the deadline when the subscriber unsubscribes', () => {
    const makeError = vi.fn(() => noAnswer);
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s 2s a|');
      expectObservable(source.pipe(answerWithin(isMarker, 1000, makeError)), '^ 500ms !').toBe('s');
      expectSubscriptions(source.subscriptions).toBe('^ 500ms !');
    });
    expect(makeError).not.toHaveBeenCalled();
  });
});
