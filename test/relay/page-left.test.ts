import { describe, expect, it } from 'vitest';
import type { RelayOptions, RelayPolicy, RelayRefusal } from 'runware-rx/relay';
import type { RelayServer } from './support.js';
import { rawBrowser, realKeySimulator, relayServer, spyStore, TOKENS } from './support.js';
import { httpOf, post, textTask } from './stream-support.js';

/*
 * A page that goes away while `authorize` decides on its token, with no time limit on the
 * decision (`authorizeTimeout: Infinity`): the relay stops waiting for that answer there and
 * then, and whatever the application answers later (a policy, a refusal, an error) opens
 * nothing, reads nothing, reserves nothing, sends nothing upstream and writes nothing more about
 * it. A relay that closes meanwhile answers the page that still waits (503), as it does every
 * request it stops.
 */

/** One question put to {@link heldAuthorize}, and its answer to give. */
interface Asked {
  readonly token: string;
  answer(decision: RelayPolicy | RelayRefusal): void;
  fail(error: Error): void;
}

/** An authorize that holds every token starting with `held-` until told, and answers the others from TOKENS. */
function heldAuthorize(): { authorize: RelayOptions['authorize']; next: () => Promise<Asked> } {
  const asked: Asked[] = [];
  const waiting: ((each: Asked) => void)[] = [];
  const authorize: RelayOptions['authorize'] = ({ token }) => {
    if (!token.startsWith('held-')) return TOKENS[token];
    return new Promise<RelayPolicy | RelayRefusal>((resolve, reject) => {
      const each: Asked = { token, answer: resolve, fail: reject };
      const waiter = waiting.shift();
      if (waiter !== undefined) waiter(each);
      else asked.push(each);
    });
  };
  const next = (): Promise<Asked> => {
    const first = asked.shift();
    return first !== undefined ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
  };
  return { authorize, next };
}

/** The lines the relay wrote about one connection or request. */
const linesOf = (server: RelayServer, connectionId: string): string[] =>
  server.logged.filter((record) => record.connectionId === connectionId).map((record) => `${record.event} ${record.detail}`);

/** Waits for the relay's line that it stopped waiting for authorize, about a connection or request not in `seen` (which then is). */
async function pageLeft(server: RelayServer, seen: Set<string>): Promise<string> {
  const { connectionId } = await server.logOf((record) => record.event === 'relay.pageLeft' && !seen.has(record.connectionId));
  seen.add(connectionId);
  return connectionId;
}

const LEFT = 'relay.pageLeft the page went away while authorize decided: its answer is not waited for';

/** A POST of a streamed text with a token that the page gives up on (aborts) once `authorize` has been asked. */
async function abandonedPost(server: RelayServer, held: ReturnType<typeof heldAuthorize>, token: string): Promise<Asked> {
  const leaving = new AbortController();
  const request = fetch(httpOf(server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify([textTask()]),
    signal: leaving.signal,
  }).catch((error: unknown) => error);
  const asked = await held.next();
  leaving.abort();
  await request;
  return asked;
}

describe('a page that leaves while authorize decides, with no time limit', () => {
  it('over the socket: the relay stops waiting, and a late answer of any kind opens no session and writes nothing', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const held = heldAuthorize();
    const server = await relayServer(sim, { store, authorizeTimeout: Infinity, authorize: held.authorize });
    const answers: ((asked: Asked) => void)[] = [
      (asked) => asked.answer({ userId: 'alice' }),
      (asked) => asked.answer({ refused: true, code: 'tokenInvalid', message: 'Unknown session.' }),
      (asked) => asked.fail(new Error('the session store is down')),
    ];
    const seen = new Set<string>();
    for (const answer of answers) {
      const page = await rawBrowser(server);
      page.send([{ taskType: 'authentication', apiKey: 'held-socket-token' }]);
      const asked = await held.next();
      await page.close();
      const left = await pageLeft(server, seen);
      answer(asked);
      // A page that authenticates now, on a socket of its own, is answered after the late answer has been handled.
      const next = await rawBrowser(server);
      next.send([{ taskType: 'authentication', apiKey: 'alice-session-token' }]);
      await next.until(() => next.frames.find((frame) => frame.data?.[0]?.['taskType'] === 'authentication'));
      expect(linesOf(server, left)).toEqual([LEFT]);
    }
    // The only sessions opened are those of the pages that stayed.
    expect(new Set(store.calls.filter((call) => call.method === 'putSession').map((call) => call.args[0])).size).toBe(answers.length);
  });

  it('over HTTP: the relay stops waiting, and a late policy reserves nothing and sends nothing upstream', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const held = heldAuthorize();
    const server = await relayServer(sim, { store, authorizeTimeout: Infinity, authorize: held.authorize });
    const asked = await abandonedPost(server, held, 'held-http-token');
    const left = await pageLeft(server, new Set());
    asked.answer({ userId: 'alice' });
    // Alice's next request is answered after the late answer has been handled.
    const next = await post(server, 'alice-session-token', [textTask()]);
    expect(next.status).toBe(200);
    expect(linesOf(server, left)).toEqual([LEFT]);
    expect(sim.stats().tasksReceived['textInference']).toBe(1);
    expect(store.calls.filter((call) => call.method === 'claim')).toHaveLength(1);
  });

  it('over HTTP: a late refusal or failure is not answered nor logged', async () => {
    const sim = await realKeySimulator();
    const held = heldAuthorize();
    const server = await relayServer(sim, { authorizeTimeout: Infinity, authorize: held.authorize });
    const refused = await abandonedPost(server, held, 'held-refused-token');
    const failed = await abandonedPost(server, held, 'held-failed-token');
    const seen = new Set<string>();
    await pageLeft(server, seen);
    await pageLeft(server, seen);
    refused.answer({ refused: true, code: 'tokenInvalid', message: 'Unknown session.' });
    failed.fail(new Error('the session store is down'));
    expect((await post(server, 'alice-session-token', [textTask()])).status).toBe(200);
    expect([...seen].map((id) => linesOf(server, id))).toEqual([[LEFT], [LEFT]]);
  });

  it('over HTTP: a relay that closes answers the page still waiting for authorize (503)', async () => {
    const sim = await realKeySimulator();
    const held = heldAuthorize();
    const server = await relayServer(sim, { authorizeTimeout: Infinity, authorize: held.authorize });
    const answer = post(server, 'held-waiting-token', [textTask()]);
    const asked = await held.next();
    await server.relay.close();
    const answered = await answer;
    expect(answered.status).toBe(503);
    expect(answered.json?.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable' })]);
    asked.answer({ userId: 'alice' });
    expect(sim.stats().tasksReceived['textInference']).toBeUndefined();
  });

  it('over HTTP: a relay that closes answers the page whose check waits for a store that stopped answering (503)', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    let reached: () => void = () => undefined;
    const checking = new Promise<void>((resolve) => (reached = resolve));
    store.stall('holderOf', () => {
      reached();
      return true;
    });
    const server = await relayServer(sim, { store });
    const answer = post(server, 'alice-session-token', [textTask()]);
    await checking;
    await server.relay.close();
    const answered = await answer;
    expect(answered.status).toBe(503);
    expect(answered.json?.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable' })]);
    expect(sim.stats().tasksReceived['textInference']).toBeUndefined();
  });
});
