import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/simulator/cli-args.js';
import { useSimulator } from './support/harness.js';
import { imageTask, videoTask } from './support/raw-client.js';

describe('simulator: models (catalogue and namespaces)', () => {
  const harness = useSimulator();

  it.each([
    ['imageInference', imageTask({ model: 'nonexistent:999@999' })],
    ['videoInference', videoTask({ model: 'nonexistent:999@999' })],
  ])('rejects a model that does not exist (%s, nonexistent:999@999) with modelNotFound, as the real API does', async (taskType, task) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    client.send([task]);
    const { data, errors } = await client.results(String(task['taskUUID']));
    expect(data).toEqual([]);
    expect(errors).toEqual([
      {
        code: 'modelNotFound',
        message: expect.stringContaining('"nonexistent:999@999" does not exist'),
        parameter: 'model',
        type: 'string',
        taskType,
        taskUUID: task['taskUUID'],
        documentation: expect.stringContaining('https://runware.ai/docs/'),
      },
    ]);
  });

  it('accepts catalogued models and any well-formed AIR of a known namespace (users test with their own models)', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const models = ['runware:100@1', 'civitai:4201@130072', 'xai:grok-imagine@image-quality', 'BFL:2@1', 'runware:999999@42'];
    const tasks = models.map((model) => imageTask({ model }));
    client.send(tasks);
    for (const task of tasks) expect((await client.results(String(task['taskUUID']))).data).toHaveLength(1);
  });

  it('keeps the shape check (invalidModel) apart from the existence check (modelNotFound)', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const malformed = imageTask({ model: 'runware-101' });
    const tooLong = imageTask({ model: `runware:${'1'.repeat(300)}@1` });
    const unknown = imageTask({ model: 'acme:1@1' });
    client.send([malformed, tooLong, unknown]);
    const codes = await Promise.all([malformed, tooLong, unknown].map(async (task) => (await client.results(String(task['taskUUID']))).errors[0]?.['code']));
    expect(codes).toEqual(['invalidModel', 'invalidModel', 'modelNotFound']);
  });

  it('accepts every well-formed AIR with checkModels: false', async () => {
    await harness.start({ media: false, checkModels: false });
    const client = await harness.authed();
    const image = imageTask({ model: 'nonexistent:999@999' });
    const video = videoTask({ model: 'nonexistent:999@999' });
    client.send([image, video]);
    expect((await client.results(String(image['taskUUID']))).data).toHaveLength(1);
    expect((await client.results(String(video['taskUUID']))).data).toEqual([{ taskType: 'videoInference', taskUUID: video['taskUUID'] }]);
  });

  it('maps --no-model-check and --external-inputs to their options', () => {
    expect(parseCliArgs(['--no-model-check', '--external-inputs', 'error'])).toEqual({
      kind: 'start',
      options: { port: 8080, checkModels: false, externalInputs: 'error' },
      verbose: false,
    });
    expect(() => parseCliArgs(['--external-inputs', 'fetch'])).toThrow(/--external-inputs must be one of stand-in, error/);
  });
});
