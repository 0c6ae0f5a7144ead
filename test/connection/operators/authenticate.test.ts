import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../src/connection/authenticate.js';
import type { AuthenticateOptions } from '../../../src/connection/authenticate.js';
import type { LinkEvent } from '../../../src/connection/link-event.js';
import { RunwareError } from '../../../src/errors/runware-error.js';
import type { SocketEvent } from '../../../src/transport/open-socket.js';
import { createScheduler, errorMatching, recordingSend } from '../../support/marbles.js';

const API_KEY = 'rw-test-KEY-0123456789';
const TASK = '5d0cbc44-7b2e-4c59-8d7a-0d3f1b2a9c11';
const options = (overrides: Partial<AuthenticateOptions> = {}): AuthenticateOptions => ({
  apiKey: API_KEY,
  sessionUUID: () => undefined,
  ...overrides,
});

/** What an open socket says of its bytes not sent yet: passed on to the link's `open` as it is. */
const backlog = (): number => 0;
/** The socket event of an open socket writing through `send`. */
const opened = (send: (text: string) => boolean): SocketEvent => ({ type: 'open', send, backlog });
const message = (frame: unknown): SocketEvent => ({ type: 'message', data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
const ack = (sessionUUID: string): unknown => ({ data: [{ taskType: 'authentication', connectionSessionUUID: sessionUUID }] });
const result = { taskType: 'imageInference', taskUUID: TASK, imageUUID: 'i1', imageURL: 'https://im.example/i1.png' };
const pong = { taskType: 'ping', pong: true };
const invalidKey = {
  code: 'invalidApiKey',
  message: 'Invalid API key. Get one at https://my.runware.ai/signup',
  parameter: 'apiKey',
  type: 'string',
  taskType: 'authentication',
};
const rejected = errorMatching(RunwareError, {
  code: 'auth',
  retryable: false,
  serverCode: 'invalidApiKey',
  parameter: 'apiKey',
  taskType: 'authentication',
  message: invalidKey.message,
});

const AUTHENTICATING: LinkEvent = { type: 'authenticating' };
/** A `frame` link event with these items (other fields of the event, such as the raw text, are not compared). */
const frameEvent = (data: unknown[], errors: unknown[] = []): unknown => expect.objectContaining({ type: 'frame', frame: { data, errors } });

describe('authenticate', () => {
  it('sends the authentication frame first, as soon as the socket opens, and reports `authenticating`', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('10ms o 20ms k', { o: opened(send), k: message(ack('S1')) });
      expectObservable(socket.pipe(authenticate(options()))).toBe('10ms A 20ms O', {
        A: AUTHENTICATING,
        O: { type: 'open', sessionUUID: 'S1', resumed: false, send, backlog },
      });
    });
    expect(send.writes).toEqual([[10, `[{"taskType":"authentication","apiKey":"${API_KEY}"}]`]]);
    expect(JSON.parse(send.writes[0]![1])).toEqual([{ taskType: 'authentication', apiKey: API_KEY }]);
  });

  it('asks, when the socket opens, to resume the session that sessionUUID() returns', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    const consulted: number[] = [];
    const sessionUUID = (): string => {
      consulted.push(scheduler.now());
      return 'S0';
    };
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('10ms o 20ms k', { o: opened(send), k: message(ack('S0')) });
      expectObservable(socket.pipe(authenticate(options({ sessionUUID })))).toBe('10ms A 20ms O', {
        A: AUTHENTICATING,
        O: { type: 'open', sessionUUID: 'S0', resumed: true, send, backlog },
      });
    });
    expect(consulted).toEqual([10]);
    expect(send.writes.map(([, text]) => JSON.parse(text))).toEqual([
      [{ taskType: 'authentication', apiKey: API_KEY, connectionSessionUUID: 'S0' }],
    ]);
  });

  it('reports `resumed: false` with the new session when the server grants another one than requested', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms k', { o: opened(send), k: message(ack('S2')) });
      expectObservable(socket.pipe(authenticate(options({ sessionUUID: () => 'S0' })))).toBe('A 9ms O', {
        A: AUTHENTICATING,
        O: { type: 'open', sessionUUID: 'S2', resumed: false, send, backlog },
      });
    });
  });

  it('passes frames that arrive before the open, before the acknowledgement and after it as `frame` events', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('a 9ms o 9ms b 9ms k 9ms c', {
        a: message({ data: [pong] }),
        o: opened(send),
        b: message({ errors: [{ code: 'taskNotFound', message: 'no such task', taskUUID: TASK }] }),
        k: message(ack('S1')),
        c: message({ data: [result] }),
      });
      expectObservable(socket.pipe(authenticate(options()))).toBe('a 9ms A 9ms b 9ms O 9ms c', {
        a: frameEvent([pong]),
        A: AUTHENTICATING,
        b: frameEvent([], [{ code: 'taskNotFound', message: 'no such task', taskUUID: TASK }]),
        O: { type: 'open', sessionUUID: 'S1', resumed: false, send, backlog },
        c: frameEvent([result]),
      });
    });
    expect(send.writes).toHaveLength(1);
  });

  it('keeps the raw text of each frame it reports', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    const text = JSON.stringify({ data: [result] });
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms k 9ms c', { o: opened(send), k: message(ack('S1')), c: message(text) });
      expectObservable(socket.pipe(authenticate(options()))).toBe('A 9ms O 9ms c', {
        A: AUTHENTICATING,
        O: { type: 'open', sessionUUID: 'S1', resumed: false, send, backlog },
        c: { type: 'frame', frame: { data: [result], errors: [] }, text },
      });
    });
  });

  it('reports the other items of the acknowledging frame as a frame after `open`', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms k', {
        o: opened(send),
        k: message({ data: [{ taskType: 'authentication', connectionSessionUUID: 'S1' }, result] }),
      });
      expectObservable(socket.pipe(authenticate(options()))).toBe('A 9ms (OF)', {
        A: AUTHENTICATING,
        O: { type: 'open', sessionUUID: 'S1', resumed: false, send, backlog },
        F: frameEvent([result]),
      });
    });
  });

  it('errors with a non-retryable `auth` error when the server rejects the key', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const socket = cold('10ms o 20ms r 10ms k', { o: opened(send), r: message({ errors: [invalidKey] }), k: message(ack('S1')) });
      expectObservable(socket.pipe(authenticate(options()))).toBe('10ms A 20ms #', { A: AUTHENTICATING }, rejected);
      expectSubscriptions(socket.subscriptions).toBe('^ 30ms !');
    });
  });

  it('recognises the rejection under the singular `error` key, as an object or an array', () => {
    for (const error of [invalidKey, [invalidKey]]) {
      const scheduler = createScheduler();
      const send = recordingSend(scheduler);
      scheduler.run(({ cold, expectObservable }) => {
        const socket = cold('o 9ms r', { o: opened(send), r: message({ error }) });
        expectObservable(socket.pipe(authenticate(options()))).toBe('A 9ms #', { A: AUTHENTICATING }, rejected);
      });
    }
  });

  it('recognises the legacy `{ error: true, errorId: 19 }` rejection', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms r', {
        o: opened(send),
        r: message({ error: true, errorMessageContentId: 1212, errorId: 19, errorMessage: 'Invalid api key' }),
      });
      expectObservable(socket.pipe(authenticate(options()))).toBe(
        'A 9ms #',
        { A: AUTHENTICATING },
        errorMatching(RunwareError, { code: 'auth', retryable: false, serverCode: 'invalidApiKey', message: 'Invalid api key' }),
      );
    });
  });

  it('never puts the API key in the error message, even when the server echoes it', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    const echoed = { ...invalidKey, message: `Invalid API key ${API_KEY}; key ${API_KEY} is unknown` };
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms r', { o: opened(send), r: message({ errors: [echoed] }) });
      expectObservable(socket.pipe(authenticate(options()))).toBe(
        'A 9ms #',
        { A: AUTHENTICATING },
        errorMatching(RunwareError, {
          code: 'auth',
          serverCode: 'invalidApiKey',
          message: 'Invalid API key [redacted]; key [redacted] is unknown',
        }),
      );
    });
  });

  it('treats an auth-coded error item without taskType as a rejection too', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms r', { o: opened(send), r: message({ errors: [{ code: 'missingApiKey', message: 'No key' }] }) });
      expectObservable(socket.pipe(authenticate(options()))).toBe(
        'A 9ms #',
        { A: AUTHENTICATING },
        errorMatching(RunwareError, { code: 'auth', retryable: false, serverCode: 'missingApiKey' }),
      );
    });
  });

  it('reports text that is not a frame as `invalidFrame`, before and after the acknowledgement, without erroring', () => {
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms g 9ms k 9ms h', {
        o: opened(send),
        g: message('garbage{'),
        k: message(ack('S1')),
        h: message('[1,2]'),
      });
      expectObservable(socket.pipe(authenticate(options()))).toBe('A 9ms g 9ms O 9ms h', {
        A: AUTHENTICATING,
        g: { type: 'invalidFrame', reason: 'not JSON', text: 'garbage{' },
        O: { type: 'open', sessionUUID: 'S1', resumed: false, send, backlog },
        h: { type: 'invalidFrame', reason: 'not a JSON object', text: '[1,2]' },
      });
    });
  });

  it('passes socket errors through', () => {
    const lost = new RunwareError({ code: 'connection', message: 'closed (1006)' });
    const scheduler = createScheduler();
    const send = recordingSend(scheduler);
    scheduler.run(({ cold, expectObservable }) => {
      const socket = cold('o 9ms #', { o: opened(send) }, lost);
      expectObservable(socket.pipe(authenticate(options()))).toBe('A 9ms #', { A: AUTHENTICATING }, lost);
    });
  });
});
