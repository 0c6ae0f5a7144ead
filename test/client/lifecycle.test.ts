import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareClient, RunwareError, RunwareOptions, TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { authOk, createFakeSockets } from '../support/fake-socket.js';

/* How a client's requests begin and end around connect(), disconnect() and failures, in virtual time. */

const image = { model: 'runware:101@1', positivePrompt: 'a quiet harbour' };
const video = { model: 'klingai:5@3', positivePrompt: 'a quiet harbour', duration: 5 };

function scenario(options: RunwareOptions = {}) {
  const sockets = createFakeSockets();
  const runware: RunwareClient = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: sockets.WebSocket, ...options });
  return { sockets, runware };
}

/** Records a request's events and how it ended. */
function record<T>(events$: { subscribe: (observer: object) => unknown }) {
  const events: TaskEvent<T>[] = [];
  const outcome: { error?: RunwareError; completed?: boolean } = {};
  events$.subscribe({
    next: (event: TaskEvent<T>) => events.push(event),
    error: (error: RunwareError) => (outcome.error = error),
    complete: () => (outcome.completed = true),
  });
  return { events, outcome };
}

function run(test: (scheduler: TestScheduler) => RunwareClient): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    const runware = test(scheduler);
    scheduler.schedule(() => void runware.disconnect(), 30 * 60_000);
  });
}

describe('disconnect()', () => {
  it('ends queued requests and requests waiting to retry too, and dials nothing afterwards', () => {
    const { sockets, runware } = scenario({ maxInFlight: 1, retryDelay: 5000 });
    let running: ReturnType<typeof record> | undefined;
    let queued: ReturnType<typeof record> | undefined;
    run((scheduler) => {
      running = record(runware.image$(image));
      queued = record(runware.image$({ ...image, positivePrompt: 'queued behind the first' }));
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => {
        // The running request is rate limited: it will retry after a 5 s pause.
        const [task] = sockets.last().tasks().filter((sent) => sent.taskType === 'imageInference');
        sockets.last().receive({ errors: [{ code: 'rateLimitExceeded', message: 'slow down', taskUUID: task?.taskUUID }] });
      }, 3);
      scheduler.schedule(() => void runware.disconnect(), 10);
      return runware;
    });
    expect(running?.outcome.error?.code).toBe('aborted');
    expect(queued?.outcome.error?.code).toBe('aborted');
    expect(sockets.sockets).toHaveLength(1);
  });
});

describe('connect()', () => {
  it('gives up after authTimeout when it joins a reconnect attempt that never opens', async () => {
    // Real time, short deadlines: a promise settles outside virtual time.
    const { sockets, runware } = scenario({ authTimeout: 300, retryDelay: 50 });
    const first = runware.connect();
    sockets.last().open();
    sockets.last().receive(authOk('s'));
    await first;
    sockets.last().serverClose(1006);
    // Wait for the next dial; its socket will never open.
    while (sockets.sockets.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    await expect(runware.connect()).rejects.toMatchObject({ code: 'timeout' });
    // A hang guard, not a timing assertion: without its deadline connect() would never settle.
    expect(performance.now() - started).toBeLessThan(5000);
    await runware.disconnect();
  });
});

describe('async submissions', () => {
  it('report submitted and start the ack deadline even when a large submission is written at once', () => {
    const { sockets, runware } = scenario({ ackTimeout: 1000, retryDelay: 100, maxRetries: 1 });
    const big = `data:image/png;base64,${'A'.repeat(80_000)}`;
    let watched: ReturnType<typeof record> | undefined;
    run((scheduler) => {
      void runware.connect();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => {
        watched = record(runware.video$({ ...video, referenceImages: [big] }));
      }, 3);
      return runware;
    });
    const types = watched?.events.map((event) => event.type);
    expect(types?.[0]).toBe('submitted');
    const retry = watched?.events.find((event) => event.type === 'retrying');
    expect(retry?.type === 'retrying' && retry.error.code).toBe('timeout');
  });

  it('retry a lost poll as a poll once the task was acknowledged, never re-submitting it', () => {
    const { sockets, runware } = scenario({ pollInterval: 100, pollTimeout: 200, retryDelay: 100, maxRetries: 1 });
    run((scheduler) => {
      void runware.connect();
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => record(runware.video$(video)), 3);
      scheduler.schedule(() => {
        const [task] = sockets.last().tasks().filter((sent) => sent.taskType === 'videoInference');
        sockets.last().receive({ data: [{ taskType: 'videoInference', taskUUID: task?.taskUUID }] });
      }, 5);
      // No poll is ever answered: the poll gives up, the attempt is retried, and polls again.
      return runware;
    });
    const sent = sockets.sockets.flatMap((socket) => socket.tasks());
    expect(sent.filter((task) => task.taskType === 'videoInference')).toHaveLength(1);
    expect(sent.filter((task) => task.taskType === 'getResponse').length).toBeGreaterThan(4);
  });
});

describe('a socket that cannot even be created', () => {
  it('fails the request at once, after one dial, since nothing has ever connected', () => {
    let dials = 0;
    class Refused {
      constructor() {
        dials += 1;
        throw new Error('SecurityError: insecure WebSocket from a secure page');
      }
    }
    const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: Refused as never, maxRetries: 2, retryDelay: 100 });
    let watched: ReturnType<typeof record> | undefined;
    run(() => {
      watched = record(runware.image$(image));
      return runware;
    });
    expect(watched?.outcome.error).toMatchObject({ code: 'connection', retryable: false, sent: false });
    expect(watched?.outcome.error?.message).toContain('Could not connect to ws://sim.test/v1');
    expect(dials).toBe(1);
    expect(watched?.events.filter((event) => event.type === 'retrying')).toHaveLength(0);
  });
});
