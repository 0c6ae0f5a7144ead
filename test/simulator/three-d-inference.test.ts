import { NodeIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { allSucceeded, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const task = { taskType: '3dInference', taskUUID: taskUUID(), model: 'runware:3d@1', positivePrompt: 'a ceramic vase', ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID), count)) };
};

const download = async (url: unknown): Promise<Buffer> => {
  const response = await fetch(String(url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('model/gltf-binary');
  return Buffer.from(await response.arrayBuffer());
};

interface Gltf {
  asset: { version: string };
  meshes: { primitives: { attributes: Record<string, number>; indices: number }[] }[];
  accessors: { bufferView: number; componentType: number; count: number; type: string; min?: number[]; max?: number[] }[];
  bufferViews: { byteOffset: number; byteLength: number }[];
  buffers: { byteLength: number }[];
}

/** Reads a GLB by the letter of the format: header, chunk lengths and alignment, JSON, the BIN chunk behind it. */
const parseGlb = (file: Buffer) => {
  expect(file.toString('ascii', 0, 4)).toBe('glTF');
  expect(file.readUInt32LE(4)).toBe(2);
  expect(file.readUInt32LE(8)).toBe(file.length);
  const jsonLength = file.readUInt32LE(12);
  expect(file.toString('ascii', 16, 20)).toBe('JSON');
  expect(jsonLength % 4).toBe(0);
  const gltf = JSON.parse(file.toString('utf8', 20, 20 + jsonLength)) as Gltf;
  const bin = 20 + jsonLength;
  const binLength = file.readUInt32LE(bin);
  expect(file.toString('ascii', bin + 4, bin + 8)).toBe('BIN\0');
  expect(binLength % 4).toBe(0);
  expect(bin + 8 + binLength).toBe(file.length);
  return { gltf, bin: file.subarray(bin + 8, bin + 8 + binLength) };
};

describe('simulator: 3dInference', () => {
  const harness = useSimulator();

  it('answers a GLB that reads back: one mesh whose position bounds match its buffer, readable by glTF-Transform', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, data, errors } = await run(client, { deliveryMethod: 'sync', seed: 3, includeCost: true });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({ taskType: '3dInference', taskUUID: task.taskUUID, outputs: { files: [{ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), url: expect.stringMatching(/\.glb$/) }] }, seed: 3, cost: expect.any(Number) });
    const file = await download((data[0]!['outputs'] as { files: { url: string }[] }).files[0]!.url);
    const { gltf, bin } = parseGlb(file);
    expect(gltf.asset.version).toBe('2.0');
    expect(gltf.meshes).toHaveLength(1);
    expect(gltf.buffers[0]!.byteLength).toBe(bin.length);
    const position = gltf.accessors[gltf.meshes[0]!.primitives[0]!.attributes['POSITION']!]!;
    expect(position).toMatchObject({ componentType: 5126, type: 'VEC3' });
    const view = gltf.bufferViews[position.bufferView]!;
    const xyz = new Float32Array(bin.buffer.slice(bin.byteOffset + view.byteOffset, bin.byteOffset + view.byteOffset + view.byteLength));
    expect(xyz.length).toBe(position.count * 3);
    const axis = (a: number) => [...xyz].filter((_, i) => i % 3 === a);
    expect(position.min).toEqual([0, 1, 2].map((a) => Math.min(...axis(a))));
    expect(position.max).toEqual([0, 1, 2].map((a) => Math.max(...axis(a))));
    const indices = gltf.accessors[gltf.meshes[0]!.primitives[0]!.indices]!;
    expect(indices.count % 3).toBe(0);

    // An independent reader: glTF-Transform parses the same bytes into one mesh of that many vertices.
    const document = await new NodeIO().readBinary(new Uint8Array(file));
    const [mesh] = document.getRoot().listMeshes();
    expect(mesh?.listPrimitives()[0]?.getAttribute('POSITION')?.getCount()).toBe(position.count);
  });

  it('is async by default (ack, then getResponse), numberResults models with seeds counting up, each its own shape', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, data } = await run(client, { numberResults: 2, seed: 8 });
    expect(data).toEqual([{ taskType: '3dInference', taskUUID: task.taskUUID }]);
    const replies = await pollUntil(client, task.taskUUID, allSucceeded(2), { intervalMs: 10 });
    const done = replies.at(-1)!.data!;
    expect(done.map((item) => item['seed'])).toEqual([8, 9]);
    const files = await Promise.all(done.map((item) => download((item['outputs'] as { files: { url: string }[] }).files[0]!.url)));
    expect(files[0]!.equals(files[1]!)).toBe(false);
  });

  it('takes an input image instead of a prompt (image to 3D)', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { errors } = await run(client, { positivePrompt: undefined, inputs: { image: 'https://example.com/chair.png' }, deliveryMethod: 'sync' });
    expect(errors).toEqual([]);
  });

  it.each([
    [{ positivePrompt: undefined }, 'missingPositivePrompt', 'positivePrompt'],
    [{ model: undefined }, 'missingModel', 'model'],
    [{ outputFormat: 'OBJ' }, 'unsupportedOutputFormat', 'outputFormat'],
    [{ outputType: 'base64Data' }, 'unsupportedOutputType', 'outputType'],
    [{ numberResults: 5 }, 'invalidNumberResults', 'numberResults'],
    [{ inputs: { image: 'c0ffee00-0000-4000-8000-000000000000' } }, 'mediaNotFound', 'inputs.image'],
    [{ deliveryMethod: 'later' }, 'invalidDeliveryMethod', 'deliveryMethod'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, data, errors } = await run(client, change);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: '3dInference', taskUUID: task.taskUUID })]);
  });
});
