import { describe, it } from 'vitest';
import type { LinkEvent } from '../../src/connection/link-event.js';
import { reconnect } from '../../src/connection/reconnect.js';
import { createScheduler } from '../support/marbles.js';

describe('reconnect', () => {
  it('completes when the link completes', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const values = { o: { type: 'open', sessionUUID: 'S1', resumed: false, send: () => true } as LinkEvent };
      const link = cold<LinkEvent>('o 9ms |', values);
      expectObservable(link.pipe(reconnect({ initialDelay: 1000, maxDelay: 30_000, jitter: 0, attempts: Infinity }))).toBe('o 9ms |', values);
    });
  });
});
