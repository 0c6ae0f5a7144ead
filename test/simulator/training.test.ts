import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

const TRAINING = { model: 'runware:flux-lora-trainer@1', importModel: { air: 'runware:888@1', name: 'Trained style', version: '1' }, inputs: { dataset: 'https://example.com/dataset.zip' }, includeCost: true };

const submit = async (client: RawClient, fields: Record<string, unknown> = {}) => {
  const task = { taskType: 'training', taskUUID: taskUUID(), ...TRAINING, ...fields };
  client.send([task]);
  return { task, ...(await client.results(task.taskUUID)) };
};

describe('simulator: training', () => {
  const harness = useSimulator();

  it('is acknowledged, reports progress and a phase while it runs (even in the realistic profile), then the model and its safetensors file', async () => {
    await harness.start({ media: false, profile: 'realistic', videoReadyAfterMs: 300, latencySpread: 0 });
    const client = await harness.authed();
    const { task, data } = await submit(client);
    expect(data).toEqual([{ taskType: 'training', taskUUID: task.taskUUID }]);
    const replies = await pollUntil(client, task.taskUUID, (reply) => reply.data?.[0]?.['status'] === 'success', { intervalMs: 20 });
    const running = replies.slice(0, -1).map((reply) => reply.data![0]!);
    expect(running.length).toBeGreaterThan(0);
    for (const item of running) expect(item).toEqual({ taskType: 'training', taskUUID: task.taskUUID, status: 'processing', progress: expect.any(Number), message: expect.any(String) });
    const progress = running.map((item) => Number(item['progress']));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const done = replies.at(-1)!.data![0]!;
    expect(done).toMatchObject({ status: 'success', air: 'runware:888@1', outputs: { files: [{ uuid: expect.any(String), url: expect.stringMatching(/\.safetensors$/) }] }, cost: expect.any(Number) });
    const file = Buffer.from(await (await fetch((done['outputs'] as { files: { url: string }[] }).files[0]!.url)).arrayBuffer());
    const headerLength = Number(file.readBigUInt64LE(0));
    const header = JSON.parse(file.toString('utf8', 8, 8 + headerLength)) as Record<string, { dtype?: string; shape?: number[]; data_offsets?: [number, number] }>;
    const tensors = Object.entries(header).filter(([name]) => name !== '__metadata__');
    expect(tensors.length).toBeGreaterThan(0);
    const end = Math.max(...tensors.map(([, tensor]) => tensor.data_offsets![1]));
    expect(8 + headerLength + end).toBe(file.length);
  });

  it('imports the trained model under a source the account owns (acme:2@1), which no catalogue lists before training makes it', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const client = await harness.authed();
    const { task, errors } = await submit(client, { importModel: { air: 'acme:2@1', name: 'Mine' } });
    expect(errors).toEqual([]);
    const replies = await pollUntil(client, task.taskUUID, (reply) => reply.data?.[0]?.['status'] === 'success', { intervalMs: 10 });
    expect(replies.at(-1)!.data![0]).toMatchObject({ status: 'success', air: 'acme:2@1' });
  });

  it.each([
    [{ deliveryMethod: 'sync' }, 'unsupportedDeliveryMethod', 'deliveryMethod'],
    [{ model: undefined }, 'missingModel', 'model'],
    [{ importModel: undefined }, 'missingImportModel', 'importModel'],
    [{ importModel: { name: 'x' } }, 'missingAir', 'importModel.air'],
    [{ inputs: {} }, 'missingDataset', 'inputs.dataset'],
    [{ inputs: { dataset: 'c0ffee00-0000-4000-8000-000000000000' } }, 'mediaNotFound', 'inputs.dataset'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await submit(client, change);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'training' })]);
  });
});
