import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

const LORA = { category: 'lora', architecture: 'flux1d', format: 'safetensors', air: 'runware:777@1', name: 'My style', version: '1', uniqueIdentifier: 'abc123', downloadURL: 'https://example.com/my-style.safetensors', private: true, tags: ['style'] };

const upload = (client: RawClient, fields: Record<string, unknown> = {}) => {
  const task = { taskType: 'modelUpload', taskUUID: taskUUID(), ...LORA, ...fields };
  client.send([task]);
  return task;
};

describe('simulator: modelUpload', () => {
  const harness = useSimulator();

  it('streams validated, downloaded, optimized, stored and ready, one frame each on the same taskUUID, then the model is searchable', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 100 });
    const client = await harness.authed();
    const task = upload(client);
    const { data } = await client.results(task.taskUUID, 5);
    expect(data.map((item) => item['status'])).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
    for (const item of data) expect(item).toEqual({ taskType: 'modelUpload', taskUUID: task.taskUUID, status: item['status'], message: expect.any(String), air: 'runware:777@1' });
    // One phase a frame: js-legacy reads only the first item of each.
    const frames = client.frames.filter((frame) => frame.data?.some((item) => item['taskUUID'] === task.taskUUID));
    expect(frames.map((frame) => frame.data!.length)).toEqual([1, 1, 1, 1, 1]);

    const search = { taskType: 'modelSearch', taskUUID: taskUUID(), visibility: 'private' };
    client.send([search]);
    const found = (await client.results(search.taskUUID)).data[0]!;
    expect(found).toMatchObject({ totalResults: 1, results: [{ air: 'runware:777@1', name: 'My style', private: true, tags: ['style'], category: 'lora' }] });
  });

  it('takes an AIR under a source the account owns (acme:1@1), which no catalogue lists before the upload makes it', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const client = await harness.authed();
    const task = upload(client, { air: 'acme:1@1' });
    const { data, errors } = await client.results(task.taskUUID, 5);
    expect(errors).toEqual([]);
    expect(data.at(-1)).toMatchObject({ status: 'ready', air: 'acme:1@1' });
  });

  it('fails a download that cannot be made after validated, with downloadFailed naming downloadURL', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const client = await harness.authed();
    const task = upload(client, { downloadURL: 'https://models.invalid/missing.safetensors' });
    const { data, errors } = await client.results(task.taskUUID, 2);
    expect(data.map((item) => item['status'])).toEqual(['validated']);
    expect(errors).toEqual([expect.objectContaining({ code: 'downloadFailed', parameter: 'downloadURL', taskType: 'modelUpload', taskUUID: task.taskUUID })]);
  });

  it('with deliveryMethod "async": an ack, then getResponse until the ready item', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const client = await harness.authed();
    const task = upload(client, { deliveryMethod: 'async' });
    expect((await client.results(task.taskUUID)).data).toEqual([{ taskType: 'modelUpload', taskUUID: task.taskUUID }]);
    const replies = await pollUntil(client, task.taskUUID, (reply) => reply.data?.[0]?.['status'] === 'ready', { intervalMs: 10 });
    expect(replies.at(-1)!.data![0]).toMatchObject({ status: 'ready', air: 'runware:777@1' });
  });

  it.each([
    [{ category: undefined }, 'missingCategory', 'category'],
    [{ category: 'upscaler' }, 'invalidCategory', 'category'],
    [{ category: 'checkpoint' }, 'missingType', 'type'],
    [{ category: 'controlnet' }, 'missingConditioning', 'conditioning'],
    [{ format: undefined }, 'missingFormat', 'format'],
    [{ format: 'ckpt' }, 'invalidFormat', 'format'],
    [{ architecture: undefined }, 'missingArchitecture', 'architecture'],
    [{ downloadURL: 'ftp://example.com/a.safetensors' }, 'invalidDownloadURL', 'downloadURL'],
    [{ downloadURL: undefined }, 'missingDownloadURL', 'downloadURL'],
    [{ air: 'not an air' }, 'invalidAir', 'air'],
    [{ defaultCFG: 31 }, 'invalidDefaultCFG', 'defaultCFG'],
    [{ comment: 'x' }, 'invalidCommentLength', 'comment'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = upload(client, change);
    const { data, errors } = await client.results(task.taskUUID);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'modelUpload' })]);
  });
});
