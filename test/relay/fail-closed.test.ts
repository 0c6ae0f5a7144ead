import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { Item } from '../simulator/support/raw-client.js';
import { authenticate, openAuthenticated } from '../simulator/support/raw-client.js';
import type { RelayPolicy } from 'runware-rx/relay';
import { dataUri, solid } from '../simulator/support/media.js';
import { answerFor, IMAGE, rawBrowser, REAL_KEY, realKeySimulator, relayServer, spyStore, VIDEO } from './support.js';

/*
 * When the relay cannot be sure, it refuses: a claim that was lost, a store that fails or is
 * slow, an authorize that hangs, a task it cannot read, an upstream it cannot reach. Each of
 * these answers the task (or closes the socket) with a clear code, holds nothing, and tells the
 * browser nothing of anyone else's.
 */

const ALICE = 'alice-session-token';
const BOB = 'bob-session-token';


/** An authorize that answers only when told to, and says when it has been asked. */
function authorizeOnHold(): { authorize: () => Promise<RelayPolicy>; asked: Promise<void>; answer: (policy: RelayPolicy) => void } {
  let markAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (markAsked = resolve));
  let answer: (policy: RelayPolicy) => void = () => undefined;
  const authorize = (): Promise<RelayPolicy> =>
    new Promise<RelayPolicy>((resolve) => {
      answer = resolve;
      markAsked();
    });
  return { authorize, asked, answer: (policy) => answer(policy) };
}

/** The JSON of an object nested `depth` levels deep (written out: a serialiser would overflow its stack). */
const nestedJSON = (depth: number): string => `${'{"deeper":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;

/** Alice's image is done, and its claim is lost (expired, evicted, a store that was lost); Bob is connected. */
async function aliceLosesHerClaim() {
  const sim = await realKeySimulator();
  const store = spyStore();
  const server = await relayServer(sim, { store });
  const alice = await rawBrowser(server);
  await authenticate(alice, ALICE);
  const taskUUID = randomUUID();
  const { data } = await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
  const imageUUID = String(data[0]?.['imageUUID']);
  store.forget(taskUUID);
  const bob = await rawBrowser(server);
  await authenticate(bob, BOB);
  return { sim, server, bob, taskUUID, imageUUID };
}

describe('ownership fails closed', () => {
  it("a taskUUID whose claim was lost is not handed to the next user who names it: the server's conflict becomes taskNotFound", async () => {
    const { sim, server, bob, taskUUID, imageUUID } = await aliceLosesHerClaim();
    const taken = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    expect(taken).toEqual({ data: [], errors: [expect.objectContaining({ code: 'taskNotFound', taskUUID })] });
    await server.logOf((record) => record.event === 'relay.disowned' && record.detail.includes(taskUUID));
    // The claim made for Bob was dropped: his polls of it find nothing, and nothing of Alice's reaches him.
    const polled = await answerFor(bob, taskUUID, [{ taskType: 'getResponse', taskUUID }]);
    expect(polled.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID })]);
    expect(JSON.stringify(bob.frames)).not.toContain(imageUUID);
    expect(sim.receivedTasks().filter((task) => task.taskType === 'getResponse')).toEqual([]);
  });

  // Bob has the taskUUID (leaked), not what Alice asked for: another prompt, or no parameters at
  // all (the server answers the conflict before it reads them).
  for (const [what, theirs] of [
    ['another prompt', { ...IMAGE, positivePrompt: 'a fishing boat at dawn' }],
    ['no parameters', {}],
  ] as const) {
    it(`nor when the upstream socket is replaced before the server read Bob's submission (${what}): the archive holds Alice's request, not his`, async () => {
      const { sim, server, bob, taskUUID, imageUUID } = await aliceLosesHerClaim();
      // The relay's upstream socket goes half-open: what the relay writes now never reaches the server.
      expect(sim.faults.freeze()).toBe(1);
      const outBefore = server.logged.filter((record) => record.event === 'frame.out' && record.detail.includes(taskUUID)).length;
      const answer = answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...theirs }]);
      await server.logOf(() => server.logged.filter((record) => record.event === 'frame.out' && record.detail.includes(taskUUID)).length > outBefore);
      expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID)).toHaveLength(1);
      // The socket is replaced; the connection writes Bob's submission again, which the server now reads first.
      expect(sim.faults.drop()).toBe(1);
      const taken = await answer;
      expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID && task.taskType === 'imageInference')).toHaveLength(2);
      expect(taken).toEqual({ data: [], errors: [expect.objectContaining({ code: 'taskNotFound', taskUUID })] });
      expect(JSON.stringify(bob.frames)).not.toContain(imageUUID);
    });
  }

  it("a claim that names Bob for a task the relay follows for Alice still gives Bob nothing of hers", async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 60_000 });
    const store = spyStore();
    const server = await relayServer(sim, { store });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    await answerFor(alice, taskUUID, [{ taskType: 'videoInference', taskUUID, ...VIDEO }]);
    // A store shared with other instances says otherwise (a bug, a race, an operator's mistake).
    store.force(taskUUID, { userId: 'bob', kind: 'task', taskType: 'videoInference', expected: 1 });
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    for (const taskType of ['getResponse', 'getTaskDetails']) {
      const answer = await answerFor(bob, taskUUID, [{ taskType, taskUUID }]);
      expect(answer).toEqual({ data: [], errors: [expect.objectContaining({ code: 'taskNotFound', taskUUID, taskType })] });
    }
    expect(sim.receivedTasks().filter((task) => task.taskType === 'getResponse' || task.taskType === 'getTaskDetails')).toEqual([]);
  });

  it('limits hold across sockets with a store that answers later: of 8 videos sent at once under maxInFlight 1, one is taken', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 60_000 });
    const store = spyStore();
    const server = await relayServer(sim, { store, authorize: () => ({ userId: 'alice', maxInFlight: 1, ratePerMinute: 5 }) });
    const sockets = await Promise.all(Array.from({ length: 8 }, () => rawBrowser(server)));
    for (const socket of sockets) await authenticate(socket, ALICE);
    const gate = store.gate();
    const uuids = sockets.map(() => randomUUID());
    sockets.forEach((socket, index) => socket.send([{ taskType: 'videoInference', taskUUID: uuids[index], ...VIDEO }]));
    const refusals = (): Item[] => sockets.flatMap((socket, index) => socket.itemsFor(uuids[index] ?? '').errors);
    // Every submission has either been refused or is waiting for the store.
    await vi.waitFor(() => expect(refusals().length + gate.waiting()).toBe(8), { timeout: 10_000 });
    gate.open();
    const answers = await Promise.all(sockets.map((socket, index) => socket.results(uuids[index] ?? '')));
    const accepted = answers.filter((answer) => answer.errors.length === 0);
    expect(accepted).toHaveLength(1);
    expect(refusals().map((item) => item['code'])).toEqual(Array.from({ length: 7 }, () => 'inFlightRateLimitExceeded'));
    expect(sim.receivedTasks().filter((task) => task.taskType === 'videoInference')).toHaveLength(1);
  });
});

describe('each task on its own', () => {
  it('a task nested too deep is refused alone; the rest of its frame is answered, and it holds no slot', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'bob', maxInFlight: 1 }) });
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const [deep, normal, later] = [randomUUID(), randomUUID(), randomUUID()];
    const deepTask = JSON.stringify({ taskType: 'imageInference', taskUUID: deep, ...IMAGE, lora: '#' }).replace('"#"', nestedJSON(20_000));
    bob.send(`[${deepTask},${JSON.stringify({ taskType: 'imageInference', taskUUID: normal, ...IMAGE })}]`);
    expect((await bob.results(deep)).errors).toEqual([expect.objectContaining({ code: 'invalidPayload', taskUUID: deep, message: expect.stringContaining('nest') as unknown })]);
    expect((await bob.results(normal)).data).toEqual([expect.objectContaining({ taskUUID: normal, imageUUID: expect.any(String) as unknown })]);
    await server.logOf((record) => record.event === 'relay.settled' && record.detail.includes(normal));
    // The one slot is free again: neither task keeps it.
    expect((await answerFor(bob, later, [{ taskType: 'imageInference', taskUUID: later, ...IMAGE }])).errors).toEqual([]);
    expect(sim.receivedTasks().map((task) => task.taskUUID)).not.toContain(deep);
  });

  it('a store that fails refuses the tasks that needed it (serviceUnavailable), and the rest of the frame is answered', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const server = await relayServer(sim, { store });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    store.failing.add('holderOf');
    const taskUUID = randomUUID();
    const before = alice.frames.length;
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }, { taskType: 'ping', ping: true }]);
    // The pong leaves alone (clients read a frame with a pong as a pong), the refusal after it.
    expect(await alice.nextFrame(before)).toEqual({ data: [{ taskType: 'ping', pong: true }] });
    expect(await alice.nextFrame(before + 1)).toEqual({
      errors: [expect.objectContaining({ code: 'serviceUnavailable', taskUUID, taskType: 'imageInference' })],
    });
    store.failing.delete('holderOf');
    const again = randomUUID();
    expect((await answerFor(alice, again, [{ taskType: 'imageInference', taskUUID: again, ...IMAGE }])).errors).toEqual([]);
    expect(sim.receivedTasks().map((task) => task.taskUUID)).not.toContain(taskUUID);
  });
});

describe('authentication fails closed', () => {
  it('a session store that fails during authentication closes the socket with 1011 and no answer', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const server = await relayServer(sim, { store });
    store.failing.add('putSession');
    const alice = await rawBrowser(server);
    alice.send([{ taskType: 'authentication', apiKey: ALICE }]);
    expect(await alice.closed).toEqual({ code: 1011, reason: 'Session store unavailable' });
    expect(alice.frames).toEqual([]);
  });

  it('an authorize that never answers closes the socket with 1011 after authorizeTimeout, and the relay still closes', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorizeTimeout: 100, authorize: () => new Promise(() => undefined) });
    const alice = await rawBrowser(server);
    alice.send([{ taskType: 'authentication', apiKey: ALICE }]);
    expect(await alice.closed).toEqual({ code: 1011, reason: 'Authorization unavailable' });
    expect(server.logged.filter((record) => record.event === 'relay.authorizeFailed').map((record) => record.detail)).toEqual(['authorize did not answer within 100 ms']);
    // And with no time limit at all, a socket that waits for authorize does not hold close() up.
    const asking = authorizeOnHold();
    const patient = await relayServer(sim, { authorizeTimeout: Infinity, authorize: asking.authorize });
    const waiting = await rawBrowser(patient);
    waiting.send([{ taskType: 'authentication', apiKey: ALICE }]);
    await asking.asked;
    await patient.relay.close();
    expect((await waiting.closed).code).toBe(1012);
  });

  it('an authorize that answers after the socket closed opens no session', async () => {
    const sim = await realKeySimulator();
    const store = spyStore();
    const asking = authorizeOnHold();
    const server = await relayServer(sim, { store, authorize: asking.authorize });
    const alice = await rawBrowser(server);
    alice.send([{ taskType: 'authentication', apiKey: ALICE }]);
    await asking.asked;
    await alice.close();
    asking.answer({ userId: 'alice' });
    await server.relay.close();
    expect(store.calls.filter((call) => call.method === 'putSession' || call.method === 'getSession')).toEqual([]);
  });

  it('the token never reaches the log, even in what authorize throws', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authorize: ({ token }) => {
        throw new Error(`session lookup failed for ${token}`);
      },
    });
    const alice = await rawBrowser(server);
    alice.send([{ taskType: 'authentication', apiKey: ALICE }]);
    await alice.closed;
    const record = await server.logOf((logged) => logged.event === 'relay.authorizeFailed');
    expect(record.detail).toContain('session lookup failed for');
    expect(JSON.stringify(server.logged)).not.toContain(ALICE);
  });
});

describe('media claims', () => {
  it('an input a result echoes (inputImageUUID) is not claimed: an image the app uploaded stays usable by everyone', async () => {
    const sim = await realKeySimulator({ media: true });
    const server = await relayServer(sim);
    // The app itself uploads a shared image, straight to Runware.
    const app = await openAuthenticated(sim.url, REAL_KEY);
    const upload = randomUUID();
    app.send([{ taskType: 'imageUpload', taskUUID: upload, image: dataUri(await solid(24, 16, '#a03050')) }]);
    const shared = String((await app.results(upload)).data[0]?.['imageUUID']);
    await app.close();
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const upscale = randomUUID();
    const upscaled = await answerFor(alice, upscale, [{ taskType: 'upscale', taskUUID: upscale, inputImage: shared, upscaleFactor: 2 }]);
    expect(upscaled.data).toEqual([expect.objectContaining({ inputImageUUID: shared, imageUUID: expect.any(String) as unknown })]);
    const output = String(upscaled.data[0]?.['imageUUID']);
    await server.logOf((record) => record.event === 'relay.settled' && record.detail.includes(upscale));
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const mine = randomUUID();
    expect((await answerFor(bob, mine, [{ taskType: 'upscale', taskUUID: mine, inputImage: shared, upscaleFactor: 2 }])).errors).toEqual([]);
    // What Alice's task produced is hers.
    const theirs = randomUUID();
    expect((await answerFor(bob, theirs, [{ taskType: 'upscale', taskUUID: theirs, inputImage: output, upscaleFactor: 2 }])).errors).toEqual([
      expect.objectContaining({ code: 'mediaNotFound', parameter: 'inputImage' }),
    ]);
  });

  it("a taskUUID equal to a shared image's UUID claims nothing of the image", async () => {
    const sim = await realKeySimulator({ media: true });
    const server = await relayServer(sim);
    const app = await openAuthenticated(sim.url, REAL_KEY);
    const upload = randomUUID();
    app.send([{ taskType: 'imageUpload', taskUUID: upload, image: dataUri(await solid(24, 16, '#30a050')) }]);
    const shared = String((await app.results(upload)).data[0]?.['imageUUID']);
    await app.close();
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    // Bob squats the image's UUID as a taskUUID of his own.
    expect((await answerFor(bob, shared, [{ taskType: 'imageInference', taskUUID: shared, ...IMAGE }])).errors).toEqual([]);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const hers = randomUUID();
    expect((await answerFor(alice, hers, [{ taskType: 'upscale', taskUUID: hers, inputImage: shared, upscaleFactor: 2 }])).errors).toEqual([]);
  });
});

describe('the upstream', () => {
  it('an upstream that cannot be reached gives the browser a generic serviceUnavailable: its URL and credentials stay in the log', async () => {
    const server = await relayServer({ url: 'ws://user:secretpw@127.0.0.1:1/v1?token=internal' });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    const answer = await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'serviceUnavailable', taskUUID, message: 'The relay cannot reach the Runware API right now; try again shortly.' })]);
    const seen = JSON.stringify(alice.frames);
    for (const secret of ['secretpw', 'internal', '127.0.0.1:1']) expect(seen).not.toContain(secret);
  });

  it('after the relay’s key is refused, new tasks are refused at once instead of dialling and authenticating again', async () => {
    const offered: string[] = [];
    const sim = await realKeySimulator({
      apiKey: (key: string) => {
        offered.push(key);
        return key === REAL_KEY;
      },
    });
    const wrongKey = 'RwWrongKey0123456789abcdefGHIJKL';
    const server = await relayServer(sim, { apiKey: wrongKey });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const answers: Item[] = [];
    for (let round = 0; round < 3; round += 1) {
      const taskUUID = randomUUID();
      answers.push(...(await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }])).errors);
    }
    expect(answers.map((item) => item['code'])).toEqual(['serviceUnavailable', 'serviceUnavailable', 'serviceUnavailable']);
    expect(JSON.stringify(alice.frames)).not.toContain(wrongKey);
    expect(offered).toEqual([wrongKey]);
  });
});
