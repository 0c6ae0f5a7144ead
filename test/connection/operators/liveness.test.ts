import { asyncScheduler } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveness } from '../../../src/connection/liveness.js';
import type { LivenessOptions } from '../../../src/connection/liveness.js';
import type { LinkEvent } from '../../../src/connection/link-event.js';
import type { DataItem } from '../../../src/protocol/frames.js';
import { RunwareError } from '../../../src/errors/runware-error.js';
import { TaskTimeoutError } from '../../../src/errors/task-timeout-error.js';
import { createScheduler, errorMatching, recordingSend } from '../../support/marbles.js';
import type { RecordingSend } from '../../support/marbles.js';

const PING = '[{"taskType":"ping","ping":true}]';
/** Open within 5 s of the dial; ping 30 s after each answer; an answer may take 10 s. */
const options: LivenessOptions = { authTimeout: 5000, heartbeat: { interval: 30_000, timeout: 10_000 } };

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

describe('liveness', () => {
  it('errors with a TaskTimeoutError of phase `auth` when the link is not open within `authTimeout` of the dial', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold('c 9ms a 10s o', events(send));
      expectObservable(link.pipe(liveness(options))).toBe(
        'c 9ms a 4989ms #',
        events(send),
        errorMatching(TaskTimeoutError, { code: 'timeout', phase: 'auth', timeoutMs: 5000, retryable: true }),
      );
      expectSubscriptions(link.subscriptions).toBe('^ 4999ms !');
    });
    expect(send.writes).toEqual([]);
  });

  it('counts dialling against the deadline: a socket that never opens times out too', () => {
    createScheduler().run(({ cold, expectObservable }) => {
      const link = cold<LinkEvent>('-');
      expectObservable(link.pipe(liveness(options))).toBe('5s #', undefined, errorMatching(TaskTimeoutError, { phase: 'auth' }));
    });
  });

  it('runs no authentication deadline once the link is open, even when the ping comes later than it would have', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('c 4s o 20s r', events(send));
      expectObservable(link.pipe(liveness(options)), '^ 35s !').toBe('c 4s o 20s r', events(send));
    });
    // The ping is due 30 s after the open (at 4.001 s), not at the authentication deadline (5 s).
    expect(send.writes).toEqual([[34_001, PING]]);
  });

  it('pings as early as `interval` asks, when it is shorter than what was left of the authentication deadline', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('o 3s p', events(send));
      const quick: LivenessOptions = { authTimeout: 60_000, heartbeat: { interval: 2000, timeout: 10_000 } };
      expectObservable(link.pipe(liveness(quick)), '^ 4s !').toBe('o 3s p', events(send));
    });
    expect(send.writes).toEqual([[2000, PING]]);
  });

  it('never times out with `Infinity` deadlines, and never pings with an `Infinity` interval', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const never: LivenessOptions = { authTimeout: Infinity, heartbeat: { interval: Infinity, timeout: Infinity } };
      expectObservable(cold<LinkEvent>('-').pipe(liveness(never)), '^ 60m !').toBe('-');
      expectObservable(cold('20m o', events(send)).pipe(liveness(never)), '^ 120m !').toBe('20m o', events(send));
    });
    expect(send.writes).toEqual([]);
  });

  it('sends nothing before the link is open', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('c 9ms a 5m r', events(send));
      const patient: LivenessOptions = { ...options, authTimeout: Infinity };
      expectObservable(link.pipe(liveness(patient)), '^ 10m !').toBe('c 9ms a 5m r', events(send));
    });
    expect(send.writes).toEqual([]);
  });

  it('sends a ping `interval` after the open', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('o 30s p', events(send));
      expectObservable(link.pipe(liveness(options)), '^ 31s !').toBe('o 30s p', events(send));
    });
    expect(send.writes).toEqual([[30_000, PING]]);
  });

  it('errors with a retryable `connection` error when nothing answers a ping within `timeout`', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold('o', events(send));
      // Ping at 30 s, no answer by 40 s: a half-open socket is noticed after interval + timeout.
      expectObservable(link.pipe(liveness(options))).toBe('o 39999ms #', events(send), lost);
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
      expectObservable(link.pipe(liveness(options)), '^ 10m !').toBe(marbles, events(send));
    });
    expect(send.writes).toEqual(Array.from({ length: answers }, (_, index) => [30_000 + index * 30_500, PING]));
  });

  it('counts any inbound frame as an answer, not only a pong', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      // Ping at 30 s answered by a result at 35 s; ping at 65 s answered by garbage at 70 s; ping at 100 s.
      const link = cold('o 34999ms r 34999ms g', events(send));
      expectObservable(link.pipe(liveness(options)), '^ 105s !').toBe('o 34999ms r 34999ms g', events(send));
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
      expectObservable(link.pipe(liveness(options))).toBe('o 9999ms r 29999ms #', events(send), lost);
    });
  });

  it('passes every link event through unchanged', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const link = cold('c a o r g p', events(send));
      expectObservable(link.pipe(liveness(options)), '^ 1s !').toBe('c a o r g p', events(send));
    });
  });

  it('stops pinging when unsubscribed', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const link = cold('o', events(send));
      expectObservable(link.pipe(liveness(options)), '^ 35s !').toBe('o', events(send));
      expectSubscriptions(link.subscriptions).toBe('^ 35s !');
    });
    expect(send.writes).toEqual([[30_000, PING]]);
  });
});

describe('liveness, when the wall clock is stepped back', () => {
  afterEach(() => vi.restoreAllMocks());

  /** From virtual time `at` on, the clock the scheduler reads runs `by` ms behind (an NTP step, a resumed VM). */
  const stepBack = (scheduler: ReturnType<typeof createScheduler>, at: number, by: number): void => {
    vi.spyOn(asyncScheduler, 'now').mockImplementation(() => scheduler.now() - (scheduler.now() >= at ? by : 0));
  };

  it('still ends a link that is not open when its timer says `authTimeout` has passed', () => {
    const scheduler = createScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      stepBack(scheduler, 50, 1000);
      expectObservable(cold<LinkEvent>('-').pipe(liveness(options))).toBe('5s #', undefined, errorMatching(TaskTimeoutError, { phase: 'auth' }));
    });
  });

  it('still ends a link whose ping goes unanswered for `timeout`', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      stepBack(scheduler, 35_000, 1000);
      expectObservable(cold('o', events(send)).pipe(liveness(options))).toBe('o 39999ms #', events(send), lost);
    });
    expect(send.writes).toEqual([[30_000, PING]]);
  });

  it('pings `interval` after the open by the timer, when the timer first rang for the authentication deadline', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      stepBack(scheduler, 4500, 1000);
      expectObservable(cold('c 4s o', events(send)).pipe(liveness(options)), '^ 40s !').toBe('c 4s o', events(send));
    });
    expect(send.writes).toEqual([[34_001, PING]]);
  });
});
