import { describe, it } from 'vitest';
import { RunwareError } from '../../src/errors/runware-error.js';
import { collectResults } from '../../src/operators/collect-results.js';
import type { CollectResultsOptions } from '../../src/operators/collect-results.js';
import type { DataItem } from '../../src/protocol/frames.js';
import type { AttemptEvent, TaskEvent } from '../../src/events/task-event.js';
import { createScheduler } from '../support/marbles.js';

const taskUUID = '0b6b6a3e-2f0e-4d8c-9a61-3c0f4f1b2d7e';
const taskType = 'imageInference';
const keyOf = (item: DataItem): string | undefined => (typeof item['imageUUID'] === 'string' ? item['imageUUID'] : undefined);
const options = (expected: number, settled = false): CollectResultsOptions => ({ taskUUID, taskType, expected, keyOf, settled });

const image = (imageUUID?: string): DataItem => ({ taskType, taskUUID, ...(imageUUID === undefined ? {} : { imageUUID }) });
const unsafe = new RunwareError({ code: 'safety', message: 'blocked', serverCode: 'contentPolicyViolation', taskUUID });
const timedOut = new RunwareError({ code: 'timeout', message: 'provider timed out', serverCode: 'timeoutProvider', taskUUID });

const images = { u1: image('u1'), u2: image('u2'), u3: image('u3'), k: image(), l: image() };

/** Attempt events, by marble letter. */
const input: Record<string, AttemptEvent> = {
  s: { type: 'submitted' },
  c: { type: 'accepted' },
  a: { type: 'item', item: images.u1 },
  b: { type: 'item', item: images.u2 },
  d: { type: 'item', item: images.u3 },
  k: { type: 'item', item: images.k },
  l: { type: 'item', item: images.l },
  f: { type: 'itemFailed', error: unsafe },
  g: { type: 'itemFailed', error: timedOut },
  F: { type: 'itemFailed', error: unsafe, position: 0 },
  G: { type: 'itemFailed', error: timedOut, position: 1 },
  p: { type: 'status', status: 'processing', progress: 40, poll: 2 },
  r: { type: 'retrying', attempt: 1, delay: 1000, error: timedOut },
};

const result = (index: number, item: DataItem): TaskEvent => ({ type: 'result', taskUUID, index, item });
const failed = (index: number, error: RunwareError): TaskEvent => ({ type: 'failed', taskUUID, index, error });

describe('collectResults', () => {
  it('numbers results in arrival order and completes right after the last expected one', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = cold('a-d-b-', input);
      expectObservable(attempts.pipe(collectResults(options(3)))).toBe('A-D-(B|)', {
        A: result(0, images.u1),
        D: result(1, images.u3),
        B: result(2, images.u2),
      });
      expectSubscriptions(attempts.subscriptions).toBe('^---!');
    });
  });

  it('stops listening to the attempt once the expected number of results arrived', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = cold('a-b-d-', input);
      expectObservable(attempts.pipe(collectResults(options(2)))).toBe('A-(B|)', { A: result(0, images.u1), B: result(1, images.u2) });
      expectSubscriptions(attempts.subscriptions).toBe('^-!');
    });
  });

  it('drops a result whose key was already delivered', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const attempts = cold('a-a-a-b', input);
      expectObservable(attempts.pipe(collectResults(options(2)))).toBe('A-----(B|)', { A: result(0, images.u1), B: result(1, images.u2) });
    });
  });

  it('never drops results that have no key', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const attempts = cold('k-l', input);
      expectObservable(attempts.pipe(collectResults(options(2)))).toBe('K-(L|)', { K: result(0, images.k), L: result(1, images.l) });
    });
  });

  it('reports `submitted` and `accepted` once however often they recur', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const attempts = cold('s-c-s-c-a', input);
      expectObservable(attempts.pipe(collectResults(options(1)))).toBe('S-C-----(A|)', {
        S: { type: 'submitted', taskUUID, taskType },
        C: { type: 'accepted', taskUUID },
        A: result(0, images.u1),
      });
    });
  });

  it('adds the taskUUID to `status` and `retrying` events, every time, without counting them as results', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const attempts = cold('p-r-p-a', input);
      const P = { type: 'status', status: 'processing', progress: 40, poll: 2, taskUUID };
      const R = { type: 'retrying', attempt: 1, delay: 1000, error: timedOut, taskUUID };
      expectObservable(attempts.pipe(collectResults(options(1)))).toBe('P-R-P-(A|)', { P, R, A: result(0, images.u1) });
    });
  });

  it('errors with the item error at the first failed item by default', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = cold('a-f-b', input);
      expectObservable(attempts.pipe(collectResults(options(3)))).toBe('A-#', { A: result(0, images.u1) }, unsafe);
      expectSubscriptions(attempts.subscriptions).toBe('^-!');
    });
  });

  it('in settled mode reports failed items as `failed` events, numbered with the results', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const attempts = cold('a-f-b', input);
      expectObservable(attempts.pipe(collectResults(options(3, true)))).toBe('A-F-(B|)', {
        A: result(0, images.u1),
        F: failed(1, unsafe),
        B: result(2, images.u2),
      });
    });
  });

  it('in settled mode completes when results and failures together reach the expected count', () => {
    createScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = cold('f-g-a', input);
      expectObservable(attempts.pipe(collectResults(options(2, true)))).toBe('F-(G|)', { F: failed(0, unsafe), G: failed(1, timedOut) });
      expectSubscriptions(attempts.subscriptions).toBe('^-!');
    });
  });

  it('in settled mode drops a polled failure whose position was already reported', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      // Poll answers are cumulative: the same failure comes back with every later poll.
      const attempts = cold('F-a-F-G-b', input);
      expectObservable(attempts.pipe(collectResults(options(4, true)))).toBe('F-A---G-(B|)', {
        F: failed(0, unsafe),
        A: result(1, images.u1),
        G: failed(2, timedOut),
        B: result(3, images.u2),
      });
    });
  });

  it('in settled mode counts pushed failures (no position) one by one', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const attempts = cold('f-f', input);
      expectObservable(attempts.pipe(collectResults(options(2, true)))).toBe('F-(G|)', { F: failed(0, unsafe), G: failed(1, unsafe) });
    });
  });

  it('counts afresh for each subscriber', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const collected = cold('s-a-b', input).pipe(collectResults(options(2)));
      const values = { S: { type: 'submitted', taskUUID, taskType }, A: result(0, images.u1), B: result(1, images.u2) };
      expectObservable(collected).toBe('S-A-(B|)', values);
      expectObservable(collected, '--^').toBe('--S-A-(B|)', values);
    });
  });
});
