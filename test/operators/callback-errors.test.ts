import { describe, it } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import type { AttemptEvent } from '../../src/events/task-event.js';
import { collectResults } from '../../src/operators/collect-results.js';
import { retryTransient } from '../../src/operators/retry-transient.js';
import { taskTimeout } from '../../src/operators/task-timeout.js';
import { createScheduler } from '../support/marbles.js';

/*
 * An operator used in someone's own pipeline calls back into their code. What that code throws
 * ends the stream with the thrown error, as RxJS's own operators do (and as answerWithin and
 * pollUntilDone already do): it is neither thrown at the event loop (an uncaught exception, which
 * ends a Node process) nor lost while the stream waits forever.
 */

const broken = new Error('the callback is broken');
const lost = new RunwareError({ code: 'connection', message: 'connection lost' });

describe('an error thrown by a callback given to an operator', () => {
  it('taskTimeout: thrown by makeError at the deadline, ends the stream with it', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const makeError = (): Error => {
        throw broken;
      };
      expectObservable(cold('-').pipe(taskTimeout(1000, makeError))).toBe('1s #', undefined, broken);
    });
  });

  it('retryTransient: thrown by delay, ends the stream with it instead of retrying', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const delay = (): number => {
        throw broken;
      };
      expectObservable(cold('10ms #', undefined, lost).pipe(retryTransient({ count: 2, delay }))).toBe('10ms #', undefined, broken);
    });
  });

  it('retryTransient: thrown by announce, ends the stream with it instead of retrying', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const announce = (): string => {
        throw broken;
      };
      expectObservable(cold<string>('10ms #', undefined, lost).pipe(retryTransient({ count: 2, delay: () => 100, announce }))).toBe('10ms #', undefined, broken);
    });
  });

  it('collectResults: thrown by keyOf, ends the stream with it and stops listening to the attempt', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const keyOf = (): string => {
        throw broken;
      };
      const attempts = cold<AttemptEvent>('a 10ms a', { a: { type: 'item', item: { taskType: 'imageInference', taskUUID: 't', imageUUID: 'u1' } } });
      expectObservable(attempts.pipe(collectResults({ taskUUID: 't', taskType: 'imageInference', expected: 2, keyOf }))).toBe('#', undefined, broken);
      expectSubscriptions(attempts.subscriptions).toBe('(^!)');
    });
  });
});
