import { Subject, filter, merge } from 'rxjs';
import { describe, it } from 'vitest';
import { liveness } from '../../src/connection/liveness.js';
import type { LinkEvent } from '../../src/connection/link-event.js';
import { createScheduler } from '../support/marbles.js';

describe('liveness', () => {
  it('counts an answer delivered synchronously while the ping is being sent', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const answers = new Subject<LinkEvent>();
      const send = (): boolean => {
        answers.next({ type: 'frame', frame: { data: [{ taskType: 'ping', pong: true }], errors: [] }, text: '{"data":[{"taskType":"ping","pong":true}]}' } as LinkEvent);
        return true;
      };
      const link = merge(cold<LinkEvent>('o', { o: { type: 'open', sessionUUID: 'S1', resumed: false, send } }), answers);
      const lifecycle = link.pipe(
        liveness({ authTimeout: 5000, heartbeat: { interval: 30_000, timeout: 10_000 } }),
        filter((event) => event.type !== 'frame'),
      );
      // Each ping is answered at once, so the link stays open for the whole two minutes.
      expectObservable(lifecycle, '^ 2m !').toBe('o', { o: { type: 'open', sessionUUID: 'S1', resumed: false, send } });
    });
  });
});
