import { describe, expect, it, vi } from 'vitest';
import type { Simulator } from 'runware-rx/simulator';
import { useSimulator } from './support/harness.js';
import { imageTask, taskUUID } from './support/raw-client.js';
import { pollRest, post, postRaw } from './support/rest-client.js';

/** How a REST request ended, as a client sees it: a reply (status and body text), or a broken connection. */
type Outcome = { readonly status: number; readonly text: string } | 'network';

const outcome = (reply: Promise<Response>): Promise<Outcome> =>
  reply.then(
    async (response) => {
      try {
        return { status: response.status, text: await response.text() };
      } catch {
        return 'network';
      }
    },
    () => 'network' as const,
  );

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** POSTs one sync image task and waits until the simulator has read it: the reply is then in flight. */
const inFlight = async (simulator: Simulator, overrides: Record<string, unknown> = {}) => {
  const task = imageTask(overrides);
  const before = simulator.stats().tasksReceived['imageInference'] ?? 0;
  const reply = outcome(postRaw(simulator.httpUrl, [task]));
  await vi.waitFor(() => expect(simulator.stats().tasksReceived['imageInference']).toBe(before + 1));
  return { id: String(task['taskUUID']), reply };
};

/** A lone textInference that asks to stream: answered as Server-Sent Events over the task's latency. */
const textStreamTask = () => ({ taskType: 'textInference', taskUUID: taskUUID(), model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' });

const succeeded = (result: { body: { data?: Record<string, unknown>[] } }) => result.body.data?.[0]?.['status'] === 'success';

describe('simulator faults over REST: every kind with an HTTP meaning acts on POST /v1', () => {
  const harness = useSimulator();

  it('drop() destroys a request in flight without an answer; the task runs on and getResponse has it', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 5000 });
    const { id, reply } = await inFlight(simulator);
    expect(simulator.faults.drop()).toBe(1);
    expect(await reply).toBe('network');
    expect(simulator.faults.counts()).toMatchObject({ drop: 1, serverClose: 0, cleanClose: 0 });
    // No close frame over HTTP: the event has no close code.
    expect(simulator.faults.events()).toEqual([{ kind: 'drop', sessionUUID: expect.any(String) }]);
    const found = await post(simulator.httpUrl, [{ taskType: 'getResponse', taskUUID: id }]);
    expect(found.body.data).toEqual([expect.objectContaining({ taskUUID: id, status: 'processing' })]);
  });

  it('drop() with a close frame leaves REST alone: close frames are the WebSocket’s', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 200 });
    const { reply } = await inFlight(simulator);
    expect(simulator.faults.drop({ code: 1001 })).toBe(0);
    expect(await reply).toMatchObject({ status: 200 });
  });

  it('dropRate drops each request, plainly whatever close code it draws; a request read first has run, one not read has not', async () => {
    const simulator = await harness.start({ media: false, faults: { dropRate: 1, seed: 3 } });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const task = imageTask();
      ids.push(String(task['taskUUID']));
      expect(await outcome(postRaw(simulator.httpUrl, [task]))).toBe('network');
    }
    expect(simulator.faults.counts()).toMatchObject({ drop: 8, serverClose: 0, cleanClose: 0 });
    simulator.faults.configure({ dropRate: 0 });
    const ran = await Promise.all(ids.map(async (id) => (await post(simulator.httpUrl, [{ taskType: 'getResponse', taskUUID: id }])).status));
    for (const status of ran) expect([200, 404]).toContain(status);
    expect(simulator.stats().tasksReceived['imageInference'] ?? 0).toBe(ran.filter((status) => status === 200).length);
  });

  it('freeze() withholds a request’s reply while its result is made; thaw() sends it', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 1000 });
    const { id, reply } = await inFlight(simulator);
    let settled = false;
    void reply.then(() => (settled = true));
    expect(simulator.faults.freeze()).toBe(1);
    await pollRest(simulator.httpUrl, id, succeeded);
    expect(settled).toBe(false);
    expect(simulator.faults.thaw()).toBe(1);
    const answer = await reply;
    expect(answer).toMatchObject({ status: 200 });
    expect(JSON.parse((answer as { text: string }).text)).toEqual({ data: [expect.objectContaining({ taskUUID: id, imageURL: expect.any(String) })] });
    expect(simulator.faults.counts().freeze).toBe(1);
  });

  it('freezeRate freezes a request before it is read: nothing runs, and thaw() resets the connection, so a retry is safe', async () => {
    const simulator = await harness.start({ media: false, faults: { freezeRate: 1 } });
    const task = imageTask();
    const reply = outcome(postRaw(simulator.httpUrl, [task]));
    await vi.waitFor(() => expect(simulator.faults.counts().freeze).toBe(1));
    expect(simulator.stats().tasksReceived).toEqual({});
    simulator.faults.configure({ freezeRate: 0 });
    expect(simulator.faults.thaw()).toBe(1);
    expect(await reply).toBe('network');
    expect((await post(simulator.httpUrl, [task])).status).toBe(200);
  });

  it('sendGarbage() makes a request’s reply a 200 whose body is not JSON; the task ran', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 5000 });
    const { id, reply } = await inFlight(simulator);
    expect(simulator.faults.sendGarbage()).toBe(1);
    const answer = await reply;
    expect(answer).toMatchObject({ status: 200 });
    expect(parses((answer as { text: string }).text)).toBe(false);
    expect(simulator.faults.counts().garbage).toBe(1);
    expect((await post(simulator.httpUrl, [{ taskType: 'getResponse', taskUUID: id }])).status).toBe(200);
  });

  it('garbageRate makes replies unreadable', async () => {
    const simulator = await harness.start({ media: false, faults: { garbageRate: 1 } });
    const answer = await outcome(postRaw(simulator.httpUrl, [imageTask()]));
    expect(answer).toMatchObject({ status: 200 });
    expect(parses((answer as { text: string }).text)).toBe(false);
    expect(simulator.faults.counts().garbage).toBe(1);
  });

  it('sendUnroutableError() answers a request in flight with a 500 error naming no task', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 5000 });
    const { reply } = await inFlight(simulator);
    expect(simulator.faults.sendUnroutableError({ code: 'serviceUnavailable', message: 'down' })).toBe(1);
    const answer = await reply;
    expect(answer).toMatchObject({ status: 503 });
    expect(JSON.parse((answer as { text: string }).text)).toEqual({ errors: [{ code: 'serviceUnavailable', message: 'down' }] });
    expect(simulator.faults.events()).toEqual([expect.objectContaining({ kind: 'unroutable', code: 'serviceUnavailable' })]);
  });

  it('unroutableRate answers requests with internalServerError naming no task, 500', async () => {
    const simulator = await harness.start({ media: false, faults: { unroutableRate: 1 } });
    const answer = await outcome(postRaw(simulator.httpUrl, [imageTask()]));
    expect(answer).toMatchObject({ status: 500 });
    expect(JSON.parse((answer as { text: string }).text)).toEqual({ errors: [{ code: 'internalServerError', message: expect.any(String) }] });
  });

  it('delayAuth() holds the next request before its key is checked, then runs it', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'right' });
    simulator.faults.delayAuth(60_000);
    const held = outcome(postRaw(simulator.httpUrl, [{ taskType: 'authentication', apiKey: 'right' }, imageTask()], { key: null }));
    await vi.waitFor(() => expect(simulator.faults.counts().authDelay).toBe(1));
    // Held: neither the authentication nor the task has been read.
    expect(simulator.stats().tasksReceived).toEqual({});
    simulator.faults.delayAuth(20);
    expect(await outcome(postRaw(simulator.httpUrl, [imageTask()], { key: 'right' }))).toMatchObject({ status: 200 });
    expect(simulator.faults.counts().authDelay).toBe(2);
    expect(simulator.stats().tasksReceived['imageInference']).toBe(1);
    await simulator.close();
    expect(await held).toBe('network');
  });

  it('authDelayRate delays requests, each answered in the end', async () => {
    const simulator = await harness.start({ media: false, faults: { authDelayRate: 1, authDelayMs: 20 } });
    const answers = await Promise.all([0, 1].map(() => outcome(postRaw(simulator.httpUrl, [imageTask()]))));
    expect(answers).toEqual([expect.objectContaining({ status: 200 }), expect.objectContaining({ status: 200 })]);
    expect(simulator.faults.counts().authDelay).toBe(2);
  });

  it('drop() cuts a stream under way, without [DONE], counted as a drop', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 5000 });
    const response = await postRaw(simulator.httpUrl, [textStreamTask()]);
    expect(response.status).toBe(200);
    const reading = response.text().then(() => 'finished', () => 'cut');
    expect(simulator.faults.drop()).toBe(1);
    expect(await reading).toBe('cut');
    expect(simulator.faults.counts()).toMatchObject({ drop: 1, streamCut: 0 });
  });

  it('sendGarbage() and sendUnroutableError() put an event into a stream under way, which goes on to [DONE]', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 300 });
    const response = await postRaw(simulator.httpUrl, [textStreamTask()]);
    expect(response.status).toBe(200);
    expect(simulator.faults.sendGarbage()).toBe(1);
    expect(simulator.faults.sendUnroutableError()).toBe(1);
    const lines = (await response.text()).split('\n\n').filter((block) => block.startsWith('data: ')).map((block) => block.slice('data: '.length));
    expect(parses(lines[0]!)).toBe(false);
    expect(JSON.parse(lines[1]!)).toEqual({ errors: [{ code: 'internalServerError', message: expect.any(String) }] });
    expect(lines.at(-1)).toBe('[DONE]');
  });

  it('freeze() holds a stream’s events; thaw() lets them out, to [DONE]', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 300 });
    const task = textStreamTask();
    const response = await postRaw(simulator.httpUrl, [task]);
    expect(simulator.faults.freeze()).toBe(1);
    let ended = false;
    const text = response.text().finally(() => (ended = true));
    await pollRest(simulator.httpUrl, task.taskUUID, succeeded);
    expect(ended).toBe(false);
    expect(simulator.faults.thaw()).toBe(1);
    expect((await text).trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('duplicateResults() has no meaning over HTTP: the reply is one body, and the armed count waits for a socket', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.duplicateResults(1);
    const { status, body } = await post(simulator.httpUrl, [imageTask()]);
    expect(status).toBe(200);
    expect(body.data).toHaveLength(1);
    expect(simulator.faults.counts().duplicate).toBe(0);
    const client = await harness.authed();
    const task = imageTask();
    client.send([task]);
    await client.results(String(task['taskUUID']));
    await vi.waitFor(() => expect(simulator.faults.counts().duplicate).toBe(1));
  });

  it('delayAcks() and dropAcks() hold an async request’s reply as long as its ack', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.delayAcks(20);
    const late = await post(simulator.httpUrl, [imageTask({ deliveryMethod: 'async' })]);
    expect(late).toMatchObject({ status: 200, body: { data: [{ taskType: 'imageInference' }] } });
    simulator.faults.dropAcks(1);
    const task = imageTask({ deliveryMethod: 'async', taskUUID: taskUUID() });
    const lost = outcome(postRaw(simulator.httpUrl, [task]));
    await vi.waitFor(() => expect(simulator.faults.counts().ackDrop).toBe(1));
    await pollRest(simulator.httpUrl, String(task['taskUUID']), succeeded);
    expect(simulator.faults.drop()).toBe(1);
    expect(await lost).toBe('network');
  });
});
