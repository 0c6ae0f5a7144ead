import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { allSucceeded, authenticate, imageTask, pollUntil, videoTask, type Frame } from './support/raw-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DOCS = expect.stringMatching(/^https:\/\/runware\.ai\/docs\//);
const failed = (reply: Frame) => (reply.errors ?? []).length > 0;

describe('simulator faults: authentication, acknowledgements, rejections and failures', () => {
  const harness = useSimulator();

  it('delays the next authentication; frames sent meanwhile are answered after it, in order', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.delayAuth(300);
    const slow = await harness.client();
    const started = performance.now();
    slow.send([{ taskType: 'authentication', apiKey: 'test-key' }]);
    slow.send([{ taskType: 'ping', ping: true }]);
    await sleep(200);
    expect(slow.frames).toEqual([]);
    const reply = await slow.nextFrame(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(reply.data?.[0]).toMatchObject({ taskType: 'authentication', connectionSessionUUID: expect.any(String) });
    expect(await slow.nextFrame(1)).toEqual({ data: [{ taskType: 'ping', pong: true }] });

    // Only the next one: the following authentication is prompt.
    const prompt = await harness.client();
    const before = performance.now();
    await authenticate(prompt);
    expect(performance.now() - before).toBeLessThan(200);
    expect(simulator.faults.counts().authDelay).toBe(1);
  });

  it('forgets a delayed authentication whose socket closed before the reply', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.delayAuth(150);
    const gone = await harness.client();
    gone.send([{ taskType: 'authentication', apiKey: 'test-key' }]);
    await gone.close();
    await sleep(250);
    expect(simulator.stats()).toMatchObject({ sessions: 0, tasksReceived: {} });
  });

  it('never acks a dropped ack; the task runs, a resubmission gets conflictTaskUUID and getResponse the result', async () => {
    const simulator = await harness.start({ media: false, videoReadyAfterMs: 200 });
    simulator.faults.dropAcks(1);
    const client = await harness.authed();
    const task = videoTask();
    const id = String(task['taskUUID']);
    client.send([task]);
    await sleep(300);
    expect(client.itemsFor(id)).toEqual({ data: [], errors: [] });

    client.send([task]);
    const { errors } = await client.results(id);
    expect(errors).toEqual([expect.objectContaining({ code: 'conflictTaskUUID', taskUUID: id, taskType: 'videoInference' })]);
    const replies = await pollUntil(client, id, allSucceeded(1));
    expect(replies.at(-1)!.data).toEqual([expect.objectContaining({ taskUUID: id, status: 'success', videoURL: expect.any(String) })]);
    expect(simulator.faults.events()).toEqual([{ kind: 'ackDrop', taskUUID: id, sessionUUID: expect.any(String) }]);
  });

  it('delays the acks of the next async tasks (videoInference and async imageInference)', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.delayAcks(250, 2);
    const client = await harness.authed();
    const video = videoTask();
    const image = imageTask({ deliveryMethod: 'async' });
    const prompt = imageTask({ deliveryMethod: 'async' });
    const started = performance.now();
    client.send([video, image, prompt]);
    expect((await client.results(String(prompt['taskUUID']))).data).toEqual([{ taskType: 'imageInference', taskUUID: prompt['taskUUID'] }]);
    expect(performance.now() - started).toBeLessThan(200);
    await client.results(String(video['taskUUID']));
    await client.results(String(image['taskUUID']));
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(simulator.faults.counts()).toMatchObject({ ackDelay: 2, ackDrop: 0 });
  });

  it.each([
    { arm: 'rateLimitBurst', code: 'rateLimitExceeded', kind: 'rateLimit' },
    { arm: 'providerRateLimit', code: 'providerRateLimitExceeded', kind: 'rateLimit' },
    { arm: 'serverErrorBurst', code: 'internalServerError', kind: 'serverError' },
  ] as const)('$arm rejects exactly the next N tasks with $code, and does not remember them', async ({ arm, code, kind }) => {
    const simulator = await harness.start({ media: false });
    if (arm === 'rateLimitBurst') simulator.faults.rateLimitBurst(2);
    else if (arm === 'providerRateLimit') simulator.faults.rateLimitBurst(2, 'providerRateLimitExceeded');
    else simulator.faults.serverErrorBurst(2);
    const client = await harness.authed();
    const tasks = [imageTask(), videoTask(), imageTask()];
    const ids = tasks.map((task) => String(task['taskUUID']));
    client.send(tasks);
    for (const [index, id] of ids.slice(0, 2).entries()) {
      expect((await client.results(id)).errors).toEqual([
        {
          code,
          message: expect.any(String),
          taskType: tasks[index]!['taskType'],
          taskUUID: id,
          documentation: DOCS,
          ...(code === 'providerRateLimitExceeded' ? { responseContent: expect.stringContaining('429') } : {}),
        },
      ]);
    }
    expect((await client.results(ids[2]!)).data).toHaveLength(1);

    // Not remembered: unknown to getResponse, and the same taskUUIDs run when resubmitted.
    client.send([{ taskType: 'getResponse', taskUUID: ids[0] }]);
    expect((await client.results(ids[0]!, 2)).errors[1]).toMatchObject({ code: 'taskNotFound' });
    client.send(tasks.slice(0, 2));
    expect((await client.results(ids[0]!, 3)).data).toEqual([expect.objectContaining({ imageURL: expect.any(String) })]);
    expect((await client.results(ids[1]!, 2)).data).toEqual([{ taskType: 'videoInference', taskUUID: ids[1] }]);
    expect(simulator.faults.counts()[kind]).toBe(2);
  });

  it('fails the next generation of a sync task as an errors item with its taskUUID and status "error"; the task is remembered as failed', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.failNextItems(1);
    const client = await harness.authed();
    const task = imageTask({ numberResults: 2, seed: 5 });
    const id = String(task['taskUUID']);
    client.send([task]);
    const { data, errors } = await client.results(id, 2);
    // A failed generation says so as getResponse says it (protocol §5.5, docs' shape): status "error".
    expect(errors).toEqual([{ code: 'timeoutProvider', message: expect.any(String), taskType: 'imageInference', taskUUID: id, documentation: DOCS, status: 'error' }]);
    expect(data).toEqual([expect.objectContaining({ taskUUID: id, seed: 6 })]);

    client.send([task]);
    expect((await client.results(id, 3)).errors[1]).toMatchObject({ code: 'conflictTaskUUID' });
    const [reply] = await pollUntil(client, id, () => true);
    expect(reply!.errors).toEqual([expect.objectContaining({ code: 'timeoutProvider', status: 'error', taskUUID: id })]);
    expect(reply!.data).toEqual([expect.objectContaining({ status: 'success', seed: 6 })]);
    expect(simulator.faults.counts().itemFailure).toBe(1);
  });

  it('fails generations of an async task in getResponse (top-level errors, status "error") once they would have finished', async () => {
    const simulator = await harness.start({ media: false, videoReadyAfterMs: 250 });
    simulator.faults.failNextItems(1, 'providerError');
    const client = await harness.authed();
    const task = videoTask({ numberResults: 2 });
    const id = String(task['taskUUID']);
    client.send([task]);
    await client.results(id);
    const replies = await pollUntil(client, id, failed);
    expect(replies.length).toBeGreaterThan(1);
    expect(replies[0]!.data).toEqual([
      expect.objectContaining({ status: 'processing' }),
      expect.objectContaining({ status: 'processing' }),
    ]);
    const last = replies.at(-1)!;
    expect(last.errors).toEqual([
      { code: 'providerError', message: expect.any(String), taskType: 'videoInference', taskUUID: id, documentation: DOCS, status: 'error' },
    ]);
    expect(last.data).toEqual([expect.objectContaining({ status: 'success', videoURL: expect.any(String) })]);

    client.send([task]);
    await client.until(() => client.itemsFor(id).errors.find((item) => item['code'] === 'conflictTaskUUID'));
    const [again] = await pollUntil(client, id, () => true);
    expect(again).toEqual(last);
    expect(simulator.faults.events()).toEqual([expect.objectContaining({ kind: 'itemFailure', taskUUID: id, code: 'providerError' })]);
  });

  it('rejects bad one-shot arguments with the method name', async () => {
    const simulator = await harness.start({ media: false });
    expect(() => simulator.faults.rateLimitBurst(-1)).toThrow(/rateLimitBurst/);
    expect(() => simulator.faults.delayAuth(Number.NaN)).toThrow(/delayAuth/);
    expect(() => simulator.faults.dropAcks(1.5)).toThrow(/dropAcks/);
  });
});
