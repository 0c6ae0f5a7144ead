import { describe, expect, it } from 'vitest';
import { heartbeat } from '../../../src/connection/heartbeat.js';
import type { LinkEvent } from '../../../src/connection/link-event.js';
import type { DataItem } from '../../../src/protocol/frames.js';
import { RunwareError } from '../../../src/errors/runware-error.js';
import { createScheduler, errorMatching, recordingSend } from '../../support/marbles.js';
import type { RecordingSend } from '../../support/marbles.js';

const PING = '[{"taskType":"ping","ping":true}]';
/** Ping 30 s after each answer; an answer may take 10 s. */
const options = { interval: 30_000, timeout: 10_000 };

/** A `frame` link event as the authenticate step builds it from a message. */
function frame(message: { data: DataItem[] }): LinkEvent {
  return { type: 'frame', frame: { data: message.data, errors: [] }, text: JSON.stringify(message) } as LinkEvent;
}

function events(send: RecordingSend): Record<string, LinkEvent> {
  return {
    c: { type: 'connecting' },
    a: { type: 'authenticating' },
    o: { type: 'open', sessionUUID: 'S1', resumed: false, send },
    p: frame({ data: [{ taskType: 'ping', pong: true }] }),
    r: frame({ data: [{ taskType: 'imageInference', taskUUID: 't1', imageUUID: 'i1' }] }),
    g: { type: 'invalidFrame', reason: 'not JSON', text: 'garbage' },
  };
}

const lost = errorMatching(RunwareError, { code: 'connection', retryable: true });

describe('heartbeat', () => {
  it('sends nothing before the link is open', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('c 9ms a 5m r', events(send));
      expectObservable(link.pipe(heartbeat(options)), '^ 10m !').toBe('c 9ms a 5m r', events(send));
    });
    expect(send.writes).toEqual([]);
  });

  it('sends a ping `interval` after the open', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('o 30s p', events(send));
      expectObservable(link.pipe(heartbeat(options)), '^ 31s !').toBe('o 30s p', events(send));
    });
    expect(send.writes).toEqual([[30_000, PING]]);
  });

  it('errors with a retryable `connection` error when nothing answers a ping within `timeout`', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold('o', events(send));
      // Ping at 30 s, no answer by 40 s: a half-open socket is noticed after interval + timeout.
      expectObservable(link.pipe(heartbeat(options))).toBe('o 39999ms #', events(send), lost);
      expectSubscriptions(link.subscriptions).toBe('^ 39999ms !');
    });
    expect(send.writes).toEqual([[30_000, PING]]);
  });

  it('keeps the link alive for as long as pings are answered, pinging `interval` after each answer', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    // The server answers each ping 500 ms after it is sent: answers at 30.5 s, 61 s, 91.5 s, ...
    const answers = 19;
    const marbles = `o${' 30499ms p'.repeat(answers)}`;
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold(marbles, events(send));
      expectObservable(link.pipe(heartbeat(options)), '^ 10m !').toBe(marbles, events(send));
    });
    expect(send.writes).toEqual(Array.from({ length: answers }, (_, index) => [30_000 + index * 30_500, PING]));
  });

  it('counts any inbound frame as an answer, not only a pong', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      // Ping at 30 s answered by a result at 35 s; ping at 65 s answered by garbage at 70 s; ping at 100 s.
      const link = cold('o 34999ms r 34999ms g', events(send));
      expectObservable(link.pipe(heartbeat(options)), '^ 105s !').toBe('o 34999ms r 34999ms g', events(send));
    });
    expect(send.writes).toEqual([
      [30_000, PING],
      [65_000, PING],
      [100_000, PING],
    ]);
  });

  it('does not count a frame that arrived before the ping as its answer', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('o 9999ms r', events(send));
      expectObservable(link.pipe(heartbeat(options))).toBe('o 9999ms r 29999ms #', events(send), lost);
    });
  });

  it('passes every link event through unchanged', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('c a o r g p', events(send));
      expectObservable(link.pipe(heartbeat(options)), '^ 1s !').toBe('c a o r g p', events(send));
    });
  });

  it('stops pinging when unsubscribed', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold('o', events(send));
      expectObservable(link.pipe(heartbeat(options)), '^ 35s !').toBe('o', events(send));
      expectSubscriptions(link.subscriptions).toBe('^ 35s !');
    });
    expect(send.writes).toEqual([[30_000, PING]]);
  });
});
