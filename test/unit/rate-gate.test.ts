import { mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createRateGate } from '../../src/request/rate-gate.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('createRateGate', () => {
  it('lets everything through at once while nothing is rate limited', () => {
    scheduler().run(({ expectObservable }) => {
      const gate = createRateGate({ initial: 100, max: 1000, jitter: 0 });
      expectObservable(gate.ready$).toBe('(a|)', { a: 0 });
    });
  });

  it('holds every waiter until the pause after a rate-limit answer is over', () => {
    scheduler().run(({ expectObservable }) => {
      const gate = createRateGate({ initial: 100, max: 1000, jitter: 0 });
      gate.limited();
      expectObservable(gate.ready$).toBe('100ms (a|)', { a: 0 });
    });
  });

  it('counts rate-limit answers that arrive while the gate is closed as one burst', () => {
    scheduler().run(({ expectObservable }) => {
      const gate = createRateGate({ initial: 100, max: 1000, jitter: 0 });
      gate.limited();
      gate.limited();
      gate.limited();
      expectObservable(gate.ready$).toBe('100ms (a|)', { a: 0 });
    });
  });

  it('doubles the pause for each burst in a row, up to max', () => {
    scheduler().run(({ expectObservable, cold }) => {
      const gate = createRateGate({ initial: 100, max: 300, jitter: 0 });
      gate.limited(); // closed until 100
      const later$ = cold('100ms a 199ms b|').pipe(
        mergeMap((step) => {
          gate.limited(); // the retries are rate limited again as soon as the gate opens
          return step === 'b' ? gate.ready$ : [];
        }),
      );
      // Pauses: 100, then 200 (100 → 300), then 400 capped at 300 (300 → 600).
      expectObservable(later$).toBe('600ms (d|)', { d: 0 });
    });
  });

  it('starts from the first pause again after an answer that was not rate limited', () => {
    scheduler().run(({ expectObservable, cold }) => {
      const gate = createRateGate({ initial: 100, max: 1000, jitter: 0 });
      gate.limited();
      gate.limited();
      const later$ = cold('400ms a|').pipe(
        mergeMap(() => {
          gate.passed(); // the gate reopened at 300: this answer shows the pause worked
          gate.limited();
          return gate.ready$;
        }),
      );
      expectObservable(later$).toBe('500ms (b|)', { b: 0 });
    });
  });
});
