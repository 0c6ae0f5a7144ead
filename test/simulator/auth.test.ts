import { describe, expect, it, vi } from 'vitest';
import { useSimulator } from './support/harness.js';
import { authenticate, imageTask, type Frame, type Item } from './support/raw-client.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('simulator: authentication, ping and framing', () => {
  const harness = useSimulator();

  it('accepts the configured key and answers with a connectionSessionUUID', async () => {
    await harness.start({ apiKey: 'secret', media: false });
    const client = await harness.client();
    client.send([{ taskType: 'authentication', apiKey: 'secret' }]);
    const frame = await client.nextFrame(0);
    expect(frame).toEqual({ data: [{ taskType: 'authentication', connectionSessionUUID: expect.stringMatching(UUID_V4) }] });
  });

  it('refuses a wrong key with the API error item under both errors and error (§10.1), then closes the socket with 1008', async () => {
    await harness.start({ apiKey: 'secret', media: false });
    const client = await harness.client();
    client.send([{ taskType: 'authentication', apiKey: 'wrong' }]);
    const frame = (await client.nextFrame(0)) as Frame & { error?: Item };
    const item = {
      code: 'invalidApiKey',
      message: expect.stringContaining('Invalid API key'),
      parameter: 'apiKey',
      type: 'string',
      taskType: 'authentication',
    };
    expect(frame).toEqual({ errors: [item], error: item });
    expect(frame.errors?.[0]).not.toHaveProperty('taskUUID');
    await expect(client.closed).resolves.toMatchObject({ code: 1008 });
  });

  it('answers an authentication without apiKey with missingApiKey under both spellings, then 1008', async () => {
    await harness.start({ media: false });
    const client = await harness.client();
    client.send([{ taskType: 'authentication' }]);
    const frame = (await client.nextFrame(0)) as Frame & { error?: Item };
    const item = expect.objectContaining({ code: 'missingApiKey', parameter: 'apiKey', type: 'string', taskType: 'authentication' });
    expect(frame).toEqual({ errors: [item], error: item });
    await expect(client.closed).resolves.toMatchObject({ code: 1008 });
  });

  it('accepts any non-empty key when none is configured, and refuses an empty one', async () => {
    await harness.start({ media: false });
    const first = await harness.client();
    await expect(authenticate(first, 'anything-at-all')).resolves.toMatch(UUID_V4);

    const second = await harness.client();
    second.send([{ taskType: 'authentication', apiKey: '' }]);
    expect((await second.nextFrame(0)).errors?.[0]).toMatchObject({ code: 'invalidApiKey' });
    await expect(second.closed).resolves.toMatchObject({ code: 1008 });
  });

  it('asks an apiKey function about every key offered, and accepts those it returns true for', async () => {
    const offered: string[] = [];
    const simulator = await harness.start({ media: false, apiKey: (key) => offered.push(key) > 0 && key.startsWith('good-') });
    await expect(authenticate(await harness.client(), 'good-key')).resolves.toMatch(UUID_V4);
    const refused = await harness.client();
    refused.send([{ taskType: 'authentication', apiKey: 'bad-key' }]);
    expect((await refused.nextFrame(0)).errors?.[0]).toMatchObject({ code: 'invalidApiKey' });
    expect(offered).toEqual(['good-key', 'bad-key']);
    // What the function saw stays out of the inspection API.
    expect(simulator.receivedTasks().map((task) => task['apiKey'])).toEqual(['[redacted]', '[redacted]']);
  });

  it('does not run tasks sent before authentication and names them in a missingApiKey error', async () => {
    await harness.start({ media: false });
    const client = await harness.client();
    const task = imageTask();
    client.send([task]);
    const frame = await client.nextFrame(0);
    expect(frame.errors).toEqual([
      expect.objectContaining({ code: 'missingApiKey', taskUUID: task['taskUUID'], taskType: 'imageInference' }),
    ]);
    expect(frame.data).toBeUndefined();

    // Authenticating afterwards works, and the refused task was never registered.
    await authenticate(client);
    client.send([task]);
    const { data } = await client.results(String(task['taskUUID']), 2);
    expect(data).toHaveLength(1);
    expect(harness.simulator.stats().tasksReceived).toMatchObject({ imageInference: 2, authentication: 1 });
  });

  it('answers ping with pong, before and after authentication', async () => {
    await harness.start({ media: false });
    const client = await harness.client();
    client.send([{ taskType: 'ping', ping: true }]);
    expect(await client.nextFrame(0)).toEqual({ data: [{ taskType: 'ping', pong: true }] });
    await authenticate(client);
    client.send([{ taskType: 'ping', ping: true }]);
    expect(await client.nextFrame(2)).toEqual({ data: [{ taskType: 'ping', pong: true }] });
  });

  it('answers malformed frames with an error item and keeps the socket open', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    client.send('this is not json');
    expect((await client.nextFrame(1)).errors).toEqual([expect.objectContaining({ code: 'invalidJSON' })]);
    client.send('{"taskType":"ping","ping":true}');
    expect((await client.nextFrame(2)).errors).toEqual([expect.objectContaining({ code: 'invalidPayload' })]);
    client.send([42]);
    expect((await client.nextFrame(3)).errors).toEqual([expect.objectContaining({ code: 'invalidPayload' })]);
    client.send([{ taskType: 'ping', ping: true }]);
    expect(await client.nextFrame(4)).toEqual({ data: [{ taskType: 'ping', pong: true }] });
  });

  it('rejects unknown task types and bad taskUUIDs per task (one frame of them all, with mixed framing)', async () => {
    await harness.start({ media: false, framing: 'mixed' });
    const client = await harness.authed();
    const unknown = imageTask({ taskType: 'teleport' });
    client.send([unknown, imageTask({ taskUUID: 'not-a-uuid' }), imageTask({ taskUUID: undefined })]);
    const frame = await client.nextFrame(1);
    expect(frame.errors).toEqual([
      expect.objectContaining({
        code: 'unsupportedTaskType',
        taskUUID: unknown['taskUUID'],
        parameter: 'taskType',
        allowedValues: expect.arrayContaining(['imageInference', 'videoInference', 'getResponse']),
      }),
      expect.objectContaining({ code: 'invalidTaskUUID', taskUUID: 'not-a-uuid', parameter: 'taskUUID' }),
      expect.objectContaining({ code: 'missingTaskUUID', parameter: 'taskUUID' }),
    ]);
  });

  it('closes idle sockets after idleTimeoutMs without inbound traffic', async () => {
    await harness.start({ media: false, idleTimeoutMs: 150 });
    const client = await harness.authed();
    await expect(client.closed).resolves.toMatchObject({ code: 1000 });
    // The client may see the close frame before the server's socket has finished closing.
    await vi.waitFor(() => expect(harness.simulator.stats().openSockets).toBe(0));
  });

  it('close() closes open sockets with 1001, resolves, and is idempotent', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.authed();
    await Promise.all([simulator.close(), simulator.close()]);
    await expect(client.closed).resolves.toMatchObject({ code: 1001 });
    await simulator.close();
  });
});
