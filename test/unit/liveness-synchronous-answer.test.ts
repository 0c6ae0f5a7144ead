import { Subject, filter, merge } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { liveness } from '../../src/connection/liveness.js';
import type { LinkEvent } from '../../src/connection/link-event.js';
import { createScheduler } from '../support/marbles.js';

describe('liveness', () => {
  it('counts an answer delivered synchronously while the ping is being sent, and pings `interval` after it', () => {
    const scheduler = createScheduler();
    const pings: number[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const answers = new Subject<LinkEvent>();
      const send = (): boolean => {
        pings.push(scheduler.now());
        answers.next({ type: 'frame', frame: { data: [{ taskType: 'ping', pong: true }], errors: [] }, text: '{"data":[{"taskType":"ping","pong":true}]}' } as LinkEvent);
        return true;
      };
      const link = merge(cold<LinkEvent>('o', { o: { type: 'open', sessionUUID: 'S1', resumed: false, send } }), answers);
      const lifecycle = link.pipe(
        liveness({ authTimeout: 5000, heartbeat: { interval: 30_000, timeout: 10_000 } }),
        filter((event) => event.type !== 'frame'),
      );
      // Each ping is answered at once, so the link stays open, and the next ping is an interval
      // after the answer, not a timeout after the ping.
      expectObservable(lifecycle, '^ 100s !').toBe('o', { o: { type: 'open', sessionUUID: 'S1', resumed: false, send } });
    });
    expect(pings).toEqual([30_000, 60_000, 90_000]);
  });
});
