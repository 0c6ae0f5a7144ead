import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { allSucceeded, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const task = { taskType: 'textInference', taskUUID: taskUUID(), model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'What is a lighthouse for?' }], ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID), count)) };
};

const tokens = (text: string) => text.match(/[\p{L}\p{N}_']+|[^\s\p{L}\p{N}_']/gu)?.length ?? 0;

describe('simulator: textInference', () => {
  const harness = useSimulator();

  it('answers deterministically from the messages, with a finishReason and a usage that adds up', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const fields = { seed: 5, includeUsage: true, includeCost: true, settings: { systemPrompt: 'Be brief.' } };
    const [first, again, other] = await Promise.all([run(client, fields), run(client, fields), run(client, { ...fields, messages: [{ role: 'user', content: 'And a windmill?' }] })]);
    const item = first.data[0]!;
    expect(item).toMatchObject({ taskType: 'textInference', taskUUID: first.task.taskUUID, finishReason: 'stop', seed: 5, text: expect.stringContaining('What is a lighthouse for?') });
    expect(again.data[0]!['text']).toBe(item['text']);
    expect(other.data[0]!['text']).not.toBe(item['text']);
    const usage = item['usage'] as Record<string, number>;
    expect(usage['promptTokens']! + usage['completionTokens']!).toBe(usage['totalTokens']);
    expect(usage['promptTokens']).toBe(tokens('What is a lighthouse for?') + tokens('Be brief.'));
    expect(usage['completionTokens']).toBe(tokens(String(item['text'])));
    expect(Number(item['cost'])).toBeGreaterThan(0);
    expect(usage['costBreakdown']).toEqual({ input: expect.any(Number), output: expect.any(Number) });
  });

  it('cuts at maxTokens (finishReason "length") and at a stop sequence, legacy top-level settings included', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const short = await run(client, { seed: 9, settings: { maxTokens: 4 }, includeUsage: true });
    expect(short.data[0]).toMatchObject({ finishReason: 'length', usage: { completionTokens: 4 } });
    const legacy = await run(client, { seed: 9, maxTokens: 4, includeUsage: true });
    expect(legacy.data[0]!['text']).toBe(short.data[0]!['text']);
    const stopped = await run(client, { seed: 1, settings: { stopSequences: ['You wrote'] } });
    expect(stopped.data[0]!['text']).not.toContain('You wrote');
  });

  it('thinks aloud when settings.thinking asks: reasoningContent, counted in the completion tokens', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data } = await run(client, { settings: { thinking: true }, includeUsage: true });
    const usage = data[0]!['usage'] as Record<string, number>;
    expect(data[0]!['reasoningContent']).toEqual(expect.stringContaining('lighthouse'));
    expect(usage['thinkingTokens']).toBe(tokens(String(data[0]!['reasoningContent'])));
    expect(usage['completionTokens']).toBe(usage['thinkingTokens']! + tokens(String(data[0]!['text'])));
  });

  it('calls the tool toolChoice names, with arguments shaped by its schema', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const tools = [
      { name: 'get_weather', description: 'The weather in a city', schema: { type: 'object', properties: { city: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' } } } },
      { name: 'get_time', schema: { type: 'object', properties: {} } },
    ];
    const { data } = await run(client, { tools, toolChoice: { type: 'tool', name: 'get_weather' } });
    expect(data[0]).toMatchObject({ text: '', finishReason: 'tool_calls', tools: [{ id: expect.stringMatching(/^call_/), name: 'get_weather', input: { city: expect.any(String), unit: 'celsius', days: 1 } }] });
    const free = await run(client, { tools, toolChoice: { type: 'auto' } });
    expect(free.data[0]).toMatchObject({ finishReason: 'stop' });
    expect(free.data[0]!['tools']).toBeUndefined();
  });

  it('answers numberResults replies with seeds counting up, and async through getResponse', async () => {
    await harness.start({ media: false, imageLatencyMs: 10 });
    const client = await harness.authed();
    const { data } = await run(client, { numberResults: 3, seed: 40 }, 3);
    expect(data.map((item) => item['seed'])).toEqual([40, 41, 42]);
    const queued = await run(client, { deliveryMethod: 'async', settings: { cache: { scope: 'system', ttl: '5m' } } });
    expect(queued.data).toEqual([{ taskType: 'textInference', taskUUID: queued.task.taskUUID }]);
    const replies = await pollUntil(client, queued.task.taskUUID, allSucceeded(1), { intervalMs: 10 });
    expect(replies.at(-1)!.data![0]).toMatchObject({ status: 'success', text: expect.any(String) });
  });

  it('takes images, videos and documents under inputs', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const { errors } = await run(client, { inputs: { images: [png], documents: ['https://example.com/report.pdf'] } });
    expect(errors).toEqual([]);
  });

  it.each([
    [{ messages: undefined }, 'missingMessages', 'messages'],
    [{ messages: [] }, 'invalidMessages', 'messages'],
    [{ messages: [{ role: 'system', content: 'x' }] }, 'invalidRole', 'messages[0].role'],
    [{ messages: [{ role: 'user', content: '' }] }, 'invalidContent', 'messages[0].content'],
    [{ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, 'invalidMessages', 'messages'],
    [{ model: 'nonexistent:1@1' }, 'modelNotFound', 'model'],
    [{ settings: { maxTokens: 0 } }, 'invalidMaxTokens', 'settings.maxTokens'],
    [{ settings: { temperature: 3 } }, 'invalidTemperature', 'settings.temperature'],
    [{ settings: { cache: { scope: 'everything' } } }, 'invalidScope', 'settings.cache.scope'],
    [{ tools: [{ description: 'no name' }] }, 'invalidTools', 'tools[0]'],
    [{ tools: [{ name: 'a' }], toolChoice: { type: 'tool', name: 'b' } }, 'invalidToolChoice', 'toolChoice.name'],
    [{ deliveryMethod: 'stream' }, 'unsupportedDeliveryMethod', 'deliveryMethod'],
    [{ numberResults: 9 }, 'invalidNumberResults', 'numberResults'],
    [{ inputs: { images: ['not an image!'] } }, 'invalidImages', 'inputs.images[0]'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, data, errors } = await run(client, change);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'textInference', taskUUID: task.taskUUID })]);
  });
});
