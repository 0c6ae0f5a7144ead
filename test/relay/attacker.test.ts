import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import type { Item, RawClient } from '../simulator/support/raw-client.js';
import { authenticate } from '../simulator/support/raw-client.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { answerFor, browser, browserFrames, EXPIRED_TOKEN, IMAGE, rawBrowser, REAL_KEY, realKeySimulator, relayServer, VIDEO } from './support.js';

/*
 * Bob tries every way to read Alice's results or the relay's key. Each attempt is answered as if
 * what he asked for did not exist, reaches nothing of Alice's, and sends nothing upstream that
 * could.
 */

const ALICE = 'alice-session-token';
const BOB = 'bob-session-token';

/** Alice submits an image over a raw socket and waits for it: her taskUUID and the imageUUID and URL she got. */
async function aliceImage(alice: RawClient): Promise<{ taskUUID: string; imageUUID: string; imageURL: string }> {
  const taskUUID = randomUUID();
  alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
  const { data } = await alice.results(taskUUID);
  const [item] = data;
  return { taskUUID, imageUUID: String(item?.['imageUUID']), imageURL: String(item?.['imageURL']) };
}


/** Every data item any frame a raw client received carried. */
const dataItems = (client: RawClient): Item[] => client.frames.flatMap((frame) => frame.data ?? []);

describe("Bob, against Alice's tasks", () => {
  it("cannot poll Alice's taskUUID: taskNotFound, nothing of hers, no poll upstream", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const { taskUUID, imageUUID } = await aliceImage(alice);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'getResponse', taskUUID }]);
    expect(answer.data).toEqual([]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID, taskType: 'getResponse', parameter: 'taskUUID' })]);
    expect(JSON.stringify(bob.frames)).not.toContain(imageUUID);
    expect(dataItems(bob).filter((item) => item['taskUUID'] === taskUUID)).toEqual([]);
    // The same UUID in capitals is no taskUUID of the relay's (uuid-case.test.ts): refused, nothing sent.
    const shouted = taskUUID.toUpperCase();
    expect((await answerFor(bob, shouted, [{ taskType: 'getResponse', taskUUID: shouted }])).errors).toEqual([expect.objectContaining({ code: 'invalidTaskUUID' })]);
    expect(sim.receivedTasks().filter((task) => task.taskType === 'getResponse')).toEqual([]);
  });

  it("cannot attach to Alice's video with runware-rx: the attach fails with notFound, and her video reaches only her", async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 400 });
    const server = await relayServer(sim);
    const alice = browser(server, ALICE);
    const bob = browser(server, BOB);
    let submitted: (taskUUID: string) => void = () => undefined;
    const submission = new Promise<string>((resolve) => (submitted = resolve));
    const aliceVideo = new Promise<unknown>((resolve, reject) => {
      alice.video$(VIDEO).subscribe({
        next: (event) => {
          if (event.type === 'submitted') submitted(event.taskUUID);
          if (event.type === 'result') resolve(event.item);
        },
        error: reject,
      });
    });
    const taskUUID = await submission;
    const failure: unknown = await bob.attach(taskUUID, { taskType: 'videoInference' }).catch((error: unknown) => error);
    expect(isRunwareError(failure) && { code: failure.code, serverCode: failure.serverCode, taskUUID: failure.taskUUID }).toEqual({ code: 'notFound', serverCode: 'taskNotFound', taskUUID });
    expect(await aliceVideo).toMatchObject({ videoURL: expect.stringMatching(/\.mp4$/) as unknown });
  });

  it("cannot ask getTaskDetails about Alice's task", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const { taskUUID } = await aliceImage(alice);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'getTaskDetails', taskUUID }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID, taskType: 'getTaskDetails' })]);
    expect(dataItems(bob).filter((item) => item['taskUUID'] === taskUUID)).toEqual([]);
    expect(sim.receivedTasks().filter((task) => task.taskType === 'getTaskDetails')).toEqual([]);
  });

  it("cannot submit a task under Alice's taskUUID (which would fetch her task's state)", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const { taskUUID } = await aliceImage(alice);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID })]);
    expect(dataItems(bob).filter((item) => item['taskUUID'] === taskUUID)).toEqual([]);
    expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID)).toHaveLength(1);
  });

  it.each([
    ['seedImage', (media: { imageUUID: string }) => ({ seedImage: media.imageUUID }), 'seedImage', false],
    ['a nested input, upper-cased', (media: { imageUUID: string }) => ({ inputs: { referenceImages: [media.imageUUID.toUpperCase()] } }), 'inputs.referenceImages.0', false],
    // Real media: the simulator's URL then carries the image's UUID, as Runware's do.
    ['the media URL', (media: { imageURL: string }) => ({ seedImage: media.imageURL }), 'seedImage', true],
  ])("cannot use Alice's output as an input: %s", async (_how, input, parameter, realMedia) => {
    const sim = await realKeySimulator({ media: realMedia });
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const media = await aliceImage(alice);
    if (realMedia) expect(media.imageURL).toContain(media.imageUUID);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const taskUUID = randomUUID();
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, ...input(media) }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'mediaNotFound', taskUUID, parameter })]);
    expect(JSON.stringify(answer.errors)).not.toContain(media.imageUUID);
    expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID)).toEqual([]);
    // Alice herself may use it.
    const own = randomUUID();
    const mine = await answerFor(alice, own, [{ taskType: 'imageInference', taskUUID: own, ...IMAGE, seedImage: media.imageUUID }]);
    expect(mine.errors).toEqual([]);
  });

  it("cannot resume Alice's session: he gets a new one, and her missed result is replayed to her alone", async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 200 });
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    const session = await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    await alice.close();
    // The result arrives while Alice has no socket: the relay keeps it for her session.
    await server.logOf((record) => record.event === 'relay.settled' && record.detail.includes(taskUUID));
    const bob = await rawBrowser(server);
    const bobSession = await authenticate(bob, BOB, session);
    expect(bobSession).not.toBe(session);
    const back = await rawBrowser(server);
    expect(await authenticate(back, ALICE, session)).toBe(session);
    const { data } = await back.results(taskUUID);
    expect(data[0]).toMatchObject({ taskUUID, imageUUID: expect.any(String) as unknown });
    expect(JSON.stringify(bob.frames)).not.toContain(taskUUID);
  });
});

describe("Bob, with Alice's media UUID in another spelling", () => {
  const spellings: [string, (uuid: string) => Record<string, unknown>, string][] = [
    ['without hyphens', (uuid) => ({ seedImage: uuid.replaceAll('-', '') }), 'seedImage'],
    ['percent-encoded in a URL', (uuid) => ({ seedImage: `https://im.example/${[...uuid].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('')}.png` }), 'seedImage'],
    ['in full-width digits and Unicode dashes', (uuid) => ({ seedImage: [...uuid].map((char) => (char === '-' ? '\u2010' : /[0-9]/.test(char) ? String.fromCharCode(0xff10 + Number(char)) : char)).join('') }), 'seedImage'],
    ['as an object key', (uuid) => ({ providerSettings: { [uuid]: true } }), 'providerSettings'],
  ];
  it.each(spellings)('is refused as mediaNotFound: %s', async (_how, input, parameter) => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const { imageUUID } = await aliceImage(alice);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const taskUUID = randomUUID();
    const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, ...input(imageUUID) }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'mediaNotFound', taskUUID, parameter: expect.stringContaining(parameter) as unknown })]);
    expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID)).toEqual([]);
  });
});

describe('tokens', () => {
  it('a forged token gets the API auth failure (errors and error) and close 1008; nothing goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const mallory = await rawBrowser(server);
    mallory.send([{ taskType: 'authentication', apiKey: 'forged-token-123456' }]);
    const frame = await mallory.nextFrame(0);
    const item = { code: 'tokenInvalid', message: expect.any(String) as unknown, parameter: 'apiKey', type: 'string', taskType: 'authentication' };
    expect(frame).toEqual({ errors: [item], error: item });
    expect((await mallory.closed).code).toBe(1008);
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('runware-rx sees a forged or expired token as a final auth error', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    for (const [token, serverCode] of [
      ['forged-token-123456', 'tokenInvalid'],
      [EXPIRED_TOKEN, 'tokenExpired'],
    ] as const) {
      const failure: unknown = await browser(server, token).imageInference(IMAGE).catch((error: unknown) => error);
      expect(isRunwareError(failure) && { code: failure.code, serverCode: failure.serverCode, retryable: failure.retryable }).toEqual({ code: 'auth', serverCode, retryable: false });
    }
    expect(sim.receivedTasks().filter((task) => task.taskType === 'imageInference')).toEqual([]);
  });

  it('a task before authentication is refused, naming it, and not sent', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const early = await rawBrowser(server);
    const taskUUID = randomUUID();
    const answer = await answerFor(early, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'missingApiKey', taskUUID, taskType: 'imageInference' })]);
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('the policy', () => {
  it('denies the account task types unless allowed, and anything outside allowedTaskTypes', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authorize: ({ token }) =>
        token === 'admin-token'
          ? { userId: 'admin', allowAccountTasks: true }
          : token === 'images-only'
            ? { userId: 'carol', allowedTaskTypes: ['imageInference'] }
            : { userId: 'dave' },
    });
    const dave = await rawBrowser(server);
    await authenticate(dave, 'dave-token');
    for (const taskType of ['accountManagement', 'modelUpload', 'training']) {
      const taskUUID = randomUUID();
      const answer = await answerFor(dave, taskUUID, [{ taskType, taskUUID, operation: 'getDetails' }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'permissionDenied', taskUUID, taskType, parameter: 'taskType' })]);
    }
    const carol = await rawBrowser(server);
    await authenticate(carol, 'images-only');
    const video = randomUUID();
    expect((await answerFor(carol, video, [{ taskType: 'videoInference', taskUUID: video, ...VIDEO }])).errors).toEqual([
      expect.objectContaining({ code: 'permissionDenied', taskUUID: video }),
    ]);
    expect(sim.receivedTasks().filter((task) => task.taskType !== 'authentication')).toEqual([]);
    // Allowed: it goes upstream, and the simulator answers it.
    const admin = await rawBrowser(server);
    await authenticate(admin, 'admin-token');
    const account = randomUUID();
    const answer = await answerFor(admin, account, [{ taskType: 'accountManagement', taskUUID: account, operation: 'getDetails' }]);
    expect(answer.data).toEqual([expect.objectContaining({ taskType: 'accountManagement', operation: 'getDetails', taskUUID: account })]);
  });

  it('refuses every spelling of an account or relay task type, and task types that are not strings; none goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    const spellings: unknown[] = ['AccountManagement', 'accountmanagement', 'modelupload', 'TRAINING', ' training', 'Authentication', 'PING', 'imageinference', ['accountManagement'], 7];
    for (const taskType of spellings) {
      const taskUUID = randomUUID();
      const answer = await answerFor(bob, taskUUID, [{ taskType, taskUUID, operation: 'getDetails' }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: expect.stringMatching(/^(permissionDenied|unsupportedTaskType|invalidTaskType)$/) as unknown, taskUUID, parameter: 'taskType' })]);
    }
    expect(sim.receivedTasks().filter((task) => task.taskType !== 'authentication')).toEqual([]);
  });

  it('with maxNumberResults, refuses any numberResults that is not an integer from 1 to the limit', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'bob', maxNumberResults: 4 }) });
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    for (const numberResults of ['20', '1e1', [20], { valueOf: 20 }, -1, 0, true, 2.5, null]) {
      const taskUUID = randomUUID();
      const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, numberResults }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'invalidNumberResults', taskUUID, parameter: 'numberResults', max: 4 })]);
    }
    expect(sim.receivedTasks().filter((task) => task.taskType === 'imageInference')).toEqual([]);
  });

  it('refuses webhookURL and uploadEndpoint unless they lie under the policy’s allowedDeliveryURLs', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authorize: ({ token }) => (token === ALICE ? { userId: 'alice', allowedDeliveryURLs: ['https://hooks.app.example/runware/'] } : { userId: 'bob' }),
    });
    const bob = await rawBrowser(server);
    await authenticate(bob, BOB);
    for (const field of ['webhookURL', 'uploadEndpoint', 'WEBHOOKURL']) {
      const taskUUID = randomUUID();
      const answer = await answerFor(bob, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, [field]: 'https://attacker.example/collect' }]);
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'permissionDenied', taskUUID, parameter: field === 'WEBHOOKURL' ? 'webhookURL' : field })]);
    }
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    for (const [url, allowed] of [
      ['https://hooks.app.example/elsewhere', false],
      ['https://hooks.app.example.attacker.example/runware/x', false],
      ['https://user:pw@hooks.app.example/runware/x', false],
      ['https://hooks.app.example/runware/done', true],
    ] as const) {
      const taskUUID = randomUUID();
      const answer = await answerFor(alice, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE, webhookURL: url }]);
      if (allowed) expect(answer.errors).toEqual([]);
      else expect(answer.errors).toEqual([expect.objectContaining({ code: 'permissionDenied', parameter: 'webhookURL' })]);
    }
    expect(sim.receivedTasks().filter((task) => task['webhookURL'] !== undefined || task['uploadEndpoint'] !== undefined).map((task) => task['webhookURL'])).toEqual([
      'https://hooks.app.example/runware/done',
    ]);
  });

  it('refuses numberResults above the limit as a validation error naming the parameter', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', maxNumberResults: 2 }) });
    const alice = browser(server, ALICE);
    const failure: unknown = await alice.imageInference({ ...IMAGE, numberResults: 3 }).catch((error: unknown) => error);
    expect(isRunwareError(failure) && { code: failure.code, serverCode: failure.serverCode, parameter: failure.parameter }).toEqual({
      code: 'validation',
      serverCode: 'invalidNumberResults',
      parameter: 'numberResults',
    });
    expect(await alice.imageInference({ ...IMAGE, numberResults: 2 })).toHaveLength(2);
  });

  it('keeps a user to maxInFlight tasks at once; a slot frees when a task finishes', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 300 });
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', maxInFlight: 1 }) });
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    alice.send([
      { taskType: 'videoInference', taskUUID: first, ...VIDEO },
      { taskType: 'videoInference', taskUUID: second, ...VIDEO },
    ]);
    const refused = await alice.results(second);
    expect(refused.errors).toEqual([expect.objectContaining({ code: 'inFlightRateLimitExceeded', taskUUID: second })]);
    await alice.results(first);
    // Poll the first one until it is done: then its slot is free.
    await alice.until(() => {
      const items = alice.itemsFor(first).data;
      if (items.some((item) => item['status'] === 'success')) return true;
      alice.send([{ taskType: 'getResponse', taskUUID: first }]);
      return undefined;
    }, 10_000);
    await server.logOf((record) => record.event === 'relay.settled' && record.detail.includes(first));
    const later = await answerFor(alice, third, [{ taskType: 'videoInference', taskUUID: third, ...VIDEO }]);
    expect(later.errors).toEqual([]);
    expect(sim.receivedTasks().filter((task) => task.taskUUID === second)).toEqual([]);
  });

  it('keeps a user to ratePerMinute submissions, retryably', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice', ratePerMinute: 2 }) });
    const alice = browser(server, ALICE, { maxRetries: 0 });
    await alice.imageInference(IMAGE);
    await alice.imageInference(IMAGE);
    const failure: unknown = await alice.imageInference(IMAGE).catch((error: unknown) => error);
    expect(isRunwareError(failure) && { code: failure.code, serverCode: failure.serverCode, retryable: failure.retryable }).toEqual({
      code: 'rateLimit',
      serverCode: 'rateLimitExceeded',
      retryable: true,
    });
  });
});

describe('the real key', () => {
  it('reaches no browser even when the upstream echoes it in every kind of frame', async () => {
    const escaped = JSON.stringify(REAL_KEY).slice(1, -1).replace(/[a-z]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`);
    const upstream = await startHostileServer(
      politeAuth((task, socket) => {
        const taskUUID = task.taskUUID;
        socket.send(`{"errors":[{"code":"internalServerError","message":"no key ${escaped}"}]}`);
        socket.send(JSON.stringify({ data: [{ taskType: task.taskType, taskUUID, imageUUID: randomUUID(), imageURL: `https://im.example/${REAL_KEY}.png`, note: { [REAL_KEY]: REAL_KEY } }] }));
      }),
    );
    try {
      const server = await relayServer(upstream);
      const alice = browser(server, ALICE);
      const [image] = await alice.imageInference(IMAGE);
      expect(image?.imageURL).toBe('https://im.example/[redacted].png');
      const bad = await rawBrowser(server);
      await authenticate(bad, BOB);
      const taskUUID = randomUUID();
      await answerFor(bad, taskUUID, [{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
      expect(upstream.received.filter((task) => task.taskType === 'authentication').map((task) => task['apiKey'])).toEqual([REAL_KEY]);
      expect(browserFrames.length).toBeGreaterThan(2);
      const decoded = browserFrames.map((frame) => JSON.stringify(JSON.parse(frame)));
      expect([...browserFrames, ...decoded].filter((frame) => frame.includes(REAL_KEY) || frame.includes(escaped))).toEqual([]);
      expect(server.logged.filter((record) => record.detail.includes(REAL_KEY))).toEqual([]);
    } finally {
      await upstream.close();
    }
  });
});

describe('the relay log', () => {
  it('counts each user’s tasks and refusals, by user id, with neither the key nor the tokens', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: ({ token }) => ({ userId: token.startsWith('alice') ? 'alice' : 'bob', allowedTaskTypes: ['imageInference'] }) });
    const alice = browser(server, ALICE);
    await alice.imageInference(IMAGE);
    await alice.videoInference(VIDEO, { timeout: 5000 }).catch(() => undefined);
    const tasks = server.logged.filter((record) => record.event === 'relay.task');
    const refusals = server.logged.filter((record) => record.event === 'relay.refused');
    expect(tasks.map((record) => record.detail)).toEqual([expect.stringMatching(/^user=alice taskType=imageInference .* inFlight=1 submitted=1$/)]);
    expect(refusals.map((record) => record.detail)).toEqual([expect.stringMatching(/^user=alice taskType=videoInference .* code=permissionDenied refused=1$/)]);
    const everything = JSON.stringify(server.logged);
    expect(everything).not.toContain(REAL_KEY);
    expect(everything).not.toContain(ALICE);
  });
});
