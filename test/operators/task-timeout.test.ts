import { describe, expect, it, vi } from 'vitest';
import { TaskTimeoutError } from '../../src/errors/task-timeout-error.js';
import { taskTimeout } from '../../src/operators/task-timeout.js';
import { createScheduler, errorMatching } from '../support/marbles.js';

const task = { taskUUID: '6f1c1b8e-4d2a-4c3b-9a1e-2f3d4c5b6a79', taskType: 'videoInference' };
const expired = () => new TaskTimeoutError('total', 30_000, task);

describe('taskTimeout', () => {
  it('errors with the given error at the deadline when the stream has not completed', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-').pipe(taskTimeout(30_000, expired))).toBe(
        '30s #',
        undefined,
        errorMatching(TaskTimeoutError, { code: 'timeout', phase: 'total', timeoutMs: 30_000, retryable: false, ...task }),
      );
    });
  });

  it('passes values through until the deadline', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const error = new Error('too late');
      expectObservable(cold('10ms a 5s b').pipe(taskTimeout(1000, () => error))).toBe('10ms a 989ms #', undefined, error);
    });
  });

  it('unsubscribes the source at the deadline', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-');
      expectObservable(source.pipe(taskTimeout(30_000, expired))).toBe('30s #', undefined, errorMatching(TaskTimeoutError));
      expectSubscriptions(source.subscriptions).toBe('^ 29999ms !');
    });
  });

  it('completes normally, without building the error, when the stream completes before the deadline', () => {
    const makeError = vi.fn(expired);
    createScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('10ms a 10ms |').pipe(taskTimeout(1000, makeError))).toBe('10ms a 10ms |');
    });
    expect(makeError).not.toHaveBeenCalled();
  });

  it('passes an error of the stream through before the deadline', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const failure = new Error('failed');
      expectObservable(cold('10ms #', undefined, failure).pipe(taskTimeout(1000, expired))).toBe('10ms #', undefined, failure);
    });
  });

  it('sets no deadline when the deadline is Infinity', () => {
    const makeError = vi.fn(expired);
    createScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('59m a 59m |').pipe(taskTimeout(Infinity, makeError))).toBe('59m a 59m |');
    });
    expect(makeError).not.toHaveBeenCalled();
  });

  it('starts the deadline at subscription, separately for each subscriber', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const error = new Error('late');
      const bounded = cold('-').pipe(taskTimeout(1000, () => error));
      expectObservable(bounded).toBe('1s #', undefined, error);
      expectObservable(bounded, '500ms ^').toBe('1500ms #', undefined, error);
    });
  });
});
