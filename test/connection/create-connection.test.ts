import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import type { DataItem, ErrorItem } from '../../src/protocol/frames.js';
import type { Connection } from '../../src/connection/connection.js';
import { authOk } from '../support/fake-socket.js';
import { KEY, OTHER, TASK, connectionOverFakeSockets, inVirtualTime } from '../support/connection-harness.js';

/** A connection over fake sockets with test-sized timings (the shared harness). */
const setUp = connectionOverFakeSockets;

type Received = { type: 'sent' } | { type: 'reply'; data: readonly DataItem[]; errors: readonly ErrorItem[] };

/** Joins a taskUUID as a task would and records what reaches it (replies without their arrival time). */
function watch(connection: Connection, taskUUID: string) {
  const replies: Received[] = [];
  let error: RunwareError | undefined;
  const line = connection.join(taskUUID, {
    sent: () => replies.push({ type: 'sent' }),
    reply: (data, errors) => replies.push({ type: 'reply', data, errors }),
    fail: (failure) => {
      error = failure;
      line.leave();
    },
  });
  return {
    replies,
    subscription: { unsubscribe: () => line.leave() },
    send: (fields: Record<string, unknown> = {}) => line.send({ taskType: 'imageInference', taskUUID, ...fields }),
    error: () => error,
  };
}

describe('createConnection', () => {
  it('dials nothing until a task attaches or open$ is subscribed', () => {
    const { sockets, states } = setUp();
    expect(sockets.sockets).toHaveLength(0);
    expect(states.map((state) => state.type)).toEqual(['idle']);
  });

  it('sends the authentication frame first and holds tasks until the key is accepted', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states } = setUp();
      const task = watch(connection, TASK);
      task.send();
      scheduler.schedule(() => sockets.last().open(), 10);
      scheduler.schedule(() => {
        expect(sockets.last().tasks()).toEqual([{ taskType: 'authentication', apiKey: KEY }]);
        sockets.last().receive(authOk('session-1'));
      }, 20);
      scheduler.schedule(() => {
        expect(sockets.last().tasks().map((sent) => sent.taskType)).toEqual(['authentication', 'imageInference']);
        expect(task.replies).toEqual([{ type: 'sent' }]);
        expect(states.map((state) => state.type)).toEqual(['idle', 'connecting', 'authenticating', 'open']);
        expect(states.at(-1)).toEqual({ type: 'open', sessionUUID: 'session-1', resumed: false });
      }, 30);
    });
  });

  it('batches tasks sent in the same turn into one frame', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const first = watch(connection, TASK);
      const second = watch(connection, OTHER);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => {
        first.send();
        second.send();
      }, 5);
      scheduler.schedule(() => {
        const frames = sockets.last().sent.slice(1).map((text) => JSON.parse(text) as unknown[]);
        expect(frames).toHaveLength(1);
        expect(frames[0]).toHaveLength(2);
      }, 6);
    });
  });

  it('routes the items of one frame to their own tasks and fails nobody for an unroutable error', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const first = watch(connection, TASK);
      const second = watch(connection, OTHER);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => {
        sockets.last().receive({
          data: [
            { taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i1' },
            { taskType: 'imageInference', taskUUID: OTHER, imageUUID: 'i2' },
            { taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i3' },
          ],
          errors: [{ code: 'internalServerError', message: 'boom' }],
        });
      }, 3);
      scheduler.schedule(() => {
        expect(first.replies).toEqual([
          {
            type: 'reply',
            data: [
              { taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i1' },
              { taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i3' },
            ],
            errors: [],
          },
        ]);
        expect(second.replies).toHaveLength(1);
        expect(first.error()).toBeUndefined();
        expect(second.error()).toBeUndefined();
      }, 4);
    });
  });

  it('rejects a wrong key with code auth, fails attached tasks and never dials again', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states } = setUp();
      const task = watch(connection, TASK);
      let openError: RunwareError | undefined;
      connection.open$().subscribe({ error: (error: RunwareError) => (openError = error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => {
        sockets.last().receive({
          errors: [{ code: 'invalidApiKey', message: `Invalid API key ${KEY}`, parameter: 'apiKey', taskType: 'authentication' }],
        });
      }, 2);
      scheduler.schedule(() => {
        expect(openError?.code).toBe('auth');
        expect(openError?.retryable).toBe(false);
        expect(openError?.serverCode).toBe('invalidApiKey');
        expect(openError?.message).not.toContain(KEY);
        expect(task.error()?.code).toBe('auth');
        expect(sockets.last().closedByClient).toBe(true);
        expect(states.at(-1)?.type).toBe('closed');
      }, 3);
      scheduler.schedule(() => expect(sockets.sockets).toHaveLength(1), 10 * 60_000);
    });
  });

  it('fails open$ at once when the first dial fails, without a reconnect loop', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      let failure: RunwareError | undefined;
      connection.open$().subscribe({ error: (error: RunwareError) => (failure = error) });
      scheduler.schedule(() => sockets.last().serverClose(1006), 5);
      scheduler.schedule(() => {
        expect(failure?.code).toBe('connection');
        expect(sockets.sockets).toHaveLength(1);
      }, 60_000);
    });
  });

  it('replaces a socket whose ping goes unanswered and resumes the session on the next one', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states } = setUp();
      connection.open$().subscribe();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('session-1')), 2);
      // Actions due in the same virtual frame run in the order they were scheduled, so checks
      // look one frame after the moment they are about.
      scheduler.schedule(() => expect(sockets.last().tasks().at(-1)).toEqual({ taskType: 'ping', ping: true }), 20_003);
      // Half-open: the server stays silent. After interval + timeout the socket is given up.
      scheduler.schedule(() => {
        expect(sockets.sockets[0]?.closedByClient).toBe(true);
        expect(states.at(-1)).toMatchObject({ type: 'reconnecting', attempt: 1, delay: 1000 });
      }, 30_003);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        expect(sockets.last().tasks()).toEqual([{ taskType: 'authentication', apiKey: KEY, connectionSessionUUID: 'session-1' }]);
        sockets.last().receive(authOk('session-1'));
        expect(states.at(-1)).toEqual({ type: 'open', sessionUUID: 'session-1', resumed: true });
      }, 31_003);
    });
  });

  it('re-sends a task that was written but never answered, with the same taskUUID, after reconnecting', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ positivePrompt: 'a cat' }), 3);
      scheduler.schedule(() => sockets.last().serverClose(1006), 10);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        sockets.last().receive(authOk('s'));
      }, 1011);
      scheduler.schedule(() => {
        const resent = sockets.last().tasks().filter((sent) => sent.taskType === 'imageInference');
        expect(resent).toEqual([{ taskType: 'imageInference', taskUUID: TASK, positivePrompt: 'a cat' }]);
        expect(task.error()).toBeUndefined();
      }, 1012);
    });
  });

  it('keeps sends made while reconnecting and writes them after authentication', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => sockets.last().serverClose(1000, 'bye'), 5);
      scheduler.schedule(() => task.send(), 6);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        expect(sockets.last().tasks().map((sent) => sent.taskType)).toEqual(['authentication']);
        sockets.last().receive(authOk('s'));
      }, 1006);
      scheduler.schedule(() => {
        expect(sockets.last().tasks().map((sent) => sent.taskType)).toEqual(['authentication', 'imageInference']);
        expect(task.replies).toEqual([{ type: 'sent' }]);
      }, 1007);
    });
  });

  it('ignores messages from a socket it has replaced', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => sockets.last().serverClose(1006), 3);
      scheduler.schedule(() => {
        sockets.sockets[0]?.receive({ data: [{ taskType: 'imageInference', taskUUID: TASK, imageUUID: 'ghost' }] });
        expect(task.replies).toEqual([]);
      }, 4);
    });
  });

  it('stops reconnecting for good on close() and fails tasks in flight with aborted', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection, states } = setUp();
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => sockets.last().serverClose(1006), 3);
      scheduler.schedule(() => connection.close(), 4);
      scheduler.schedule(() => {
        expect(task.error()?.code).toBe('aborted');
        expect(sockets.sockets).toHaveLength(1);
        expect(states.at(-1)).toEqual({ type: 'closed' });
      }, 10 * 60_000);
    });
  });

  it('starts afresh on open$ after close(): a new socket and no session to resume', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      connection.open$().subscribe();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => connection.close(), 3);
      let reopened = false;
      scheduler.schedule(() => connection.open$().subscribe(() => (reopened = true)), 4);
      scheduler.schedule(() => {
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        expect(sockets.last().tasks()).toEqual([{ taskType: 'authentication', apiKey: KEY }]);
        sockets.last().receive(authOk('s2'));
        expect(reopened).toBe(true);
      }, 5);
    });
  });

  it('tells every open$ waiting once the key is accepted, and one that gave up not at all', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const told: string[] = [];
      const record = (name: string) => ({ next: () => told.push(`${name} next`), complete: () => told.push(`${name} complete`) });
      connection.open$().subscribe(record('first'));
      const gaveUp = connection.open$().subscribe(record('gave up'));
      connection.open$().subscribe(record('second'));
      scheduler.schedule(() => gaveUp.unsubscribe(), 1);
      scheduler.schedule(() => sockets.last().open(), 2);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 3);
      scheduler.schedule(() => {
        expect(told).toEqual(['first next', 'first complete', 'second next', 'second complete']);
        // Once open, open$ answers at once and dials nothing more.
        connection.open$().subscribe(record('late'));
        expect(told.slice(-2)).toEqual(['late next', 'late complete']);
        expect(sockets.sockets).toHaveLength(1);
      }, 4);
    });
  });

  it('fails every open$ waiting when the connection is closed before it opens', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const errors: RunwareError[] = [];
      for (let i = 0; i < 2; i += 1) connection.open$().subscribe({ error: (error: RunwareError) => errors.push(error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => void connection.close(), 2);
      scheduler.schedule(() => {
        expect(errors.map((error) => error.code)).toEqual(['aborted', 'aborted']);
      }, 3);
    });
  });

  it('gives a wait that a state$ subscriber makes on the close to the new link it dials, and fails the old wait', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const told: string[] = [];
      connection.open$().subscribe({ error: (error: RunwareError) => told.push(`first ${error.code}`) });
      let dialledAgain = false;
      connection.state$.subscribe((state) => {
        if (state.type !== 'closed' || dialledAgain) return;
        dialledAgain = true;
        connection.open$().subscribe({ complete: () => told.push('again open'), error: (error: RunwareError) => told.push(`again ${error.code}`) });
      });
      scheduler.schedule(() => void connection.close(), 1);
      scheduler.schedule(() => {
        expect(told).toEqual(['first aborted']);
        expect(sockets.sockets).toHaveLength(2);
        sockets.last().open();
        sockets.last().receive(authOk('s2'));
        expect(told).toEqual(['first aborted', 'again open']);
      }, 2);
    });
  });

  it('tells a wait of a close that an earlier wait made on being told the link was open', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const told: string[] = [];
      connection.open$().subscribe({
        next: () => {
          told.push('first open');
          void connection.close();
        },
      });
      connection.open$().subscribe({ next: () => told.push('second open'), error: (error: RunwareError) => told.push(`second ${error.code}`) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      scheduler.schedule(() => expect(told).toEqual(['first open', 'second aborted']), 3);
    });
  });

  it('gives a wait that joins a link under way a deadline of its own; one that gives up is told nothing, ever', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const told: string[] = [];
      connection.open$().subscribe();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
      // Lost: the link waits 1 s, then dials a socket that never opens.
      scheduler.schedule(() => sockets.last().serverClose(1006), 3);
      scheduler.schedule(() => {
        const gaveUp = connection.open$().subscribe({ next: () => told.push('gave up: open'), error: () => told.push('gave up: error') });
        connection.open$().subscribe({ error: (error: RunwareError) => told.push(`stayed: ${error.code}`) });
        scheduler.schedule(() => gaveUp.unsubscribe(), 100);
      }, 10);
      scheduler.schedule(() => expect(told).toEqual([]), 5009);
      scheduler.schedule(() => expect(told).toEqual(['stayed: timeout']), 5011);
      scheduler.schedule(() => expect(told).toEqual(['stayed: timeout']), 60_000);
    });
  });

  it('open() resolves once the key is accepted, and rejects as open$ does when the key is refused', async () => {
    const outcomes: string[] = [];
    const record = (name: string, promise: Promise<void>) =>
      promise.then(
        () => outcomes.push(`${name} open`),
        (error: RunwareError) => outcomes.push(`${name} ${error.code}`),
      );
    let settled: Promise<unknown>[] = [];
    inVirtualTime((scheduler) => {
      const accepted = setUp();
      const refused = setUp();
      settled = [record('accepted', accepted.connection.open()), record('refused', refused.connection.open())];
      scheduler.schedule(() => {
        accepted.sockets.last().open();
        refused.sockets.last().open();
      }, 1);
      scheduler.schedule(() => {
        accepted.sockets.last().receive(authOk('s1'));
        refused.sockets.last().receive({ errors: [{ code: 'invalidApiKey', message: 'Invalid API key', taskType: 'authentication' }] });
      }, 2);
    });
    await Promise.all(settled);
    expect(outcomes.sort()).toEqual(['accepted open', 'refused auth']);
  });

  it('gives open() that joins a link under way the same deadline of its own, and clears it once the link is open', async () => {
    const outcomes: string[] = [];
    let settled: Promise<unknown>[] = [];
    let deadlineLeft: boolean | undefined;
    inVirtualTime((scheduler) => {
      const late = setUp();
      const saved = setUp();
      for (const { connection, sockets } of [late, saved]) {
        connection.open$().subscribe();
        scheduler.schedule(() => sockets.last().open(), 1);
        scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
        // Lost: the link waits 1 s and dials again.
        scheduler.schedule(() => sockets.last().serverClose(1006), 3);
      }
      scheduler.schedule(() => {
        settled = [
          late.connection.open().then(() => outcomes.push('late: open'), (error: RunwareError & { phase?: string }) => outcomes.push(`late: ${error.code} ${String(error.phase)}`)),
          saved.connection.open().then(() => outcomes.push('saved: open'), (error: RunwareError) => outcomes.push(`saved: ${error.code}`)),
        ];
      }, 10);
      // Only the second link's new socket opens and is accepted, well within the 5 s.
      scheduler.schedule(() => {
        saved.sockets.last().open();
        saved.sockets.last().receive(authOk('s2'));
      }, 2000);
      // Nothing is due at the joining deadline any more but the late one's (10 + 5000 ms).
      scheduler.schedule(() => (deadlineLeft = scheduler.actions.filter((action) => action.delay === 5010).length === 1), 2001);
    });
    await Promise.all(settled);
    expect(outcomes.sort()).toEqual(['late: timeout auth', 'saved: open']);
    expect(deadlineLeft).toBe(true);
  });

  it('lets two listeners of one taskUUID share its replies', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const first = watch(connection, TASK);
      const second = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => sockets.last().receive({ data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'processing' }] }), 3);
      scheduler.schedule(() => {
        first.subscription.unsubscribe();
        sockets.last().receive({ data: [{ taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: 'v' }] });
      }, 4);
      scheduler.schedule(() => {
        expect(first.replies).toHaveLength(1);
        expect(second.replies).toHaveLength(2);
      }, 5);
    });
  });

  it('re-sends the submissions of tasks still in flight when the server starts a new session', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('session-1')), 2);
      scheduler.schedule(() => task.send({ numberResults: 2 }), 3);
      // One of two results arrives, so nothing is pending; then the socket drops.
      scheduler.schedule(() => sockets.last().receive({ data: [{ taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i1' }] }), 4);
      scheduler.schedule(() => sockets.last().serverClose(1006), 5);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive(authOk('session-2'));
      }, 1006);
      scheduler.schedule(() => {
        const resent = sockets.last().tasks().filter((sent) => sent.taskType === 'imageInference');
        expect(resent).toEqual([{ taskType: 'imageInference', taskUUID: TASK, numberResults: 2 }]);
      }, 1007);
    });
  });

  it('does not re-send answered submissions when the session is resumed', () => {
    inVirtualTime((scheduler) => {
      const { sockets, connection } = setUp();
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('session-1')), 2);
      scheduler.schedule(() => task.send({ numberResults: 2 }), 3);
      scheduler.schedule(() => sockets.last().receive({ data: [{ taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i1' }] }), 4);
      scheduler.schedule(() => sockets.last().serverClose(1006), 5);
      scheduler.schedule(() => {
        sockets.last().open();
        sockets.last().receive(authOk('session-1'));
      }, 1006);
      scheduler.schedule(() => {
        expect(sockets.last().tasks().map((sent) => sent.taskType)).toEqual(['authentication']);
      }, 1007);
    });
  });

  it('logs frames, with the API key redacted, to the logger', () => {
    inVirtualTime((scheduler) => {
      const lines: string[] = [];
      const { sockets, connection } = setUp({ log: (record) => lines.push(`${record.event} ${record.detail}`) });
      const task = watch(connection, TASK);
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => task.send({ positivePrompt: `prompt mentioning ${KEY}` }), 3);
      scheduler.schedule(() => sockets.last().receive({ errors: [{ code: 'boom', message: `echo ${KEY}` }] }), 4);
      scheduler.schedule(() => {
        expect(lines.some((line) => line.startsWith('frame.out') && line.includes('"apiKey":"[redacted]"'))).toBe(true);
        expect(lines.some((line) => line.startsWith('frame.out') && line.includes('imageInference'))).toBe(true);
        expect(lines.some((line) => line.startsWith('error.unroutable'))).toBe(true);
        expect(lines.join('\n')).not.toContain(KEY);
      }, 5);
    });
  });
});
