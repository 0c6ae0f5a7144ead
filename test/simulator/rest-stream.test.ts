import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { taskUUID, type Item } from './support/raw-client.js';
import { pollRest, post, postRaw, postStream, type SseEvent } from './support/rest-client.js';

const textTask = (fields: Record<string, unknown> = {}) => ({
  taskType: 'textInference',
  taskUUID: taskUUID(),
  model: 'google:gemma@4-31b',
  messages: [{ role: 'user', content: 'What is a lighthouse for?' }],
  seed: 11,
  deliveryMethod: 'stream',
  ...fields,
});

const dataOf = (events: readonly SseEvent[]): Item[] => events.flatMap((event) => ('data' in event ? [event.data] : []));
const deltasOf = (events: readonly SseEvent[], key: 'text' | 'reasoningContent'): string =>
  dataOf(events)
    .map((item) => (item['delta'] as Record<string, string> | undefined)?.[key] ?? '')
    .join('');

describe('simulator: REST streaming (textInference, deliveryMethod "stream")', () => {
  const harness = useSimulator();

  it('streams the reply a sync request gets, as SSE deltas, then finishReason, usage and cost, then [DONE]', async () => {
    const { httpUrl } = await harness.start({ media: false, profile: 'realistic' });
    const task = textTask();
    const { status, headers, events } = await postStream(httpUrl, [task]);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(events[0]).toEqual({ comment: expect.any(String) });
    expect(events.at(-1)).toEqual({ done: true });
    const items = dataOf(events);
    const deltas = items.slice(0, -1);
    expect(deltas.length).toBeGreaterThan(1);
    for (const item of deltas) expect(item).toEqual({ taskType: 'textInference', taskUUID: task.taskUUID, delta: { text: expect.any(String) } });
    expect(items.at(-1)).toEqual({
      taskType: 'textInference',
      taskUUID: task.taskUUID,
      finishReason: 'stop',
      usage: expect.objectContaining({ promptTokens: expect.any(Number), completionTokens: expect.any(Number), totalTokens: expect.any(Number) }),
      cost: expect.any(Number),
      seed: 11,
    });
    const sync = await post(httpUrl, [textTask({ taskUUID: taskUUID(), deliveryMethod: 'sync' })]);
    expect(deltasOf(events, 'text')).toBe(sync.body.data![0]!['text']);
  });

  it('streams reasoning before the text when thinking is on', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const { events } = await postStream(httpUrl, [textTask({ settings: { thinking: true } })]);
    const kinds = dataOf(events).flatMap((item) => Object.keys((item['delta'] as object | undefined) ?? {}));
    expect(kinds[0]).toBe('reasoningContent');
    expect(kinds.at(-1)).toBe('text');
    expect(kinds.indexOf('text')).toBeGreaterThan(kinds.lastIndexOf('reasoningContent'));
    expect(deltasOf(events, 'reasoningContent').length).toBeGreaterThan(0);
  });

  it('breaks off mid-stream with an error event (errors and error) and no [DONE] when the generation fails', async () => {
    const simulator = await harness.start({ media: false, profile: 'realistic' });
    simulator.faults.failNextItems(1, 'providerError');
    const task = textTask();
    const { status, events } = await postStream(simulator.httpUrl, [task]);
    expect(status).toBe(200);
    expect(events.some((event) => 'done' in event)).toBe(false);
    const items = dataOf(events);
    const last = items.at(-1)!;
    const failure = { code: 'providerError', message: expect.any(String), taskType: 'textInference', taskUUID: task.taskUUID, documentation: expect.any(String), status: 'error' };
    expect(last).toEqual({ errors: [failure], error: failure });
    expect(items.slice(0, -1).length).toBeGreaterThan(0);
    for (const item of items.slice(0, -1)) expect(item['delta']).toEqual({ text: expect.any(String) });
    // The task is remembered as failed, as any other.
    const poll = await post(simulator.httpUrl, [{ taskType: 'getResponse', taskUUID: task.taskUUID }]);
    expect(poll.body.errors).toEqual([expect.objectContaining({ code: 'providerError', status: 'error' })]);
  });

  it('cuts every stream under way on faults.cutStreams(), without [DONE]; the task runs on and getResponse has its whole answer', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 1500 });
    const task = textTask();
    const response = await postRaw(simulator.httpUrl, [task]);
    expect(response.status).toBe(200);
    const reading = response.text().then(
      () => 'finished',
      () => 'cut',
    );
    expect(simulator.faults.cutStreams()).toBe(1);
    expect(await reading).toBe('cut');
    expect(simulator.faults.counts().streamCut).toBe(1);
    expect(simulator.faults.cutStreams()).toBe(0);
    const polls = await pollRest(simulator.httpUrl, task.taskUUID, (result) => result.body.data?.[0]?.['status'] === 'success');
    const sync = await post(simulator.httpUrl, [textTask({ taskUUID: taskUUID(), deliveryMethod: 'sync' })]);
    expect(polls.at(-1)!.body.data![0]!['text']).toBe(sync.body.data![0]!['text']);
  });

  it('answers a stream refused before it starts with a JSON error and its status, not an event stream', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const invalid = await post(httpUrl, [textTask({ messages: [] })]);
    expect(invalid).toMatchObject({ status: 400, body: { errors: [{ code: 'invalidMessages', parameter: 'messages' }] } });
    expect(await post(httpUrl, [textTask({ numberResults: 2 })])).toMatchObject({ status: 400, body: { errors: [{ code: 'invalidNumberResults' }] } });
    expect((await post(httpUrl, [textTask()], { key: null })).status).toBe(401);
  });

  it('streams only a task alone in its request; beside others, or over the WebSocket, "stream" is unsupportedDeliveryMethod', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const streamed = textTask();
    const other = textTask({ taskUUID: taskUUID(), deliveryMethod: 'sync' });
    const { status, body } = await post(httpUrl, [streamed, other]);
    expect(status).toBe(200);
    expect(body.errors).toEqual([expect.objectContaining({ code: 'unsupportedDeliveryMethod', parameter: 'deliveryMethod', taskUUID: streamed.taskUUID })]);
    expect(body.data).toEqual([expect.objectContaining({ taskUUID: other.taskUUID, text: expect.any(String) })]);
    const client = await harness.authed();
    const overSocket = textTask({ taskUUID: taskUUID() });
    client.send([overSocket]);
    expect((await client.results(overSocket.taskUUID)).errors).toEqual([expect.objectContaining({ code: 'unsupportedDeliveryMethod', allowedValues: ['sync', 'async'] })]);
  });
});
