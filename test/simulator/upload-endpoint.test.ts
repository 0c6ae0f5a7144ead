import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { hookReceiver, type ReceivedPost } from './support/hook-receiver.js';
import { dataUri, outputBytes, solidWithBox } from './support/media.js';
import { allSucceeded, imageTask, pollUntil, taskUUID, videoTask, type Item } from './support/raw-client.js';

/** The PUT that carried `bytes`, checked to be a PUT of `mime` to the receiver's URL. */
const putOf = (puts: readonly ReceivedPost[], bytes: Buffer, mime: string): ReceivedPost => {
  const put = puts.find((candidate) => candidate.bytes.equals(bytes));
  expect(put, `no PUT carried the ${bytes.byteLength} bytes of the result`).toBeDefined();
  expect({ method: put!.method, path: put!.path, type: put!.headers['content-type'], length: put!.headers['content-length'] }).toEqual({
    method: 'PUT',
    path: '/hook?token=t',
    type: mime,
    length: String(bytes.byteLength),
  });
  return put!;
};

describe('simulator: uploadEndpoint (protocol §4.1, §5.8)', () => {
  const harness = useSimulator();

  it('PUTs each image of numberResults 2 once, the bytes its imageURL serves, as image/png; the items still carry imageURL', async () => {
    await harness.start();
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = imageTask({ numberResults: 2, outputFormat: 'PNG', uploadEndpoint: receiver.url });
    const id = String(task['taskUUID']);
    client.send([task]);
    const { data, errors } = await client.results(id, 2);
    expect(errors).toEqual([]);
    for (const item of data) expect(item).toEqual(expect.objectContaining({ imageUUID: expect.any(String), imageURL: expect.stringMatching(/\.png$/) }));
    const puts = await receiver.received(2);
    const served = await Promise.all(data.map((item) => outputBytes(item)));
    expect(served[0]!.equals(served[1]!)).toBe(false);
    for (const bytes of served) putOf(puts, bytes, 'image/png');
    await harness.simulator.uploads.idle();
    expect(receiver.posts).toHaveLength(2);
    expect(harness.simulator.uploads.deliveries()).toEqual(
      expect.arrayContaining(
        data.map((item, index) => ({ url: receiver.url, taskType: 'imageInference', taskUUID: id, outputUUID: item['imageUUID'], contentType: 'image/png', size: served[index]!.byteLength, state: 'delivered', attempts: [200] })),
      ),
    );
    expect(harness.simulator.uploads.deliveries()).toHaveLength(2);
  });

  it('PUTs only the generations that succeeded', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    harness.simulator.faults.failNextItems(1, 'timeoutProvider');
    const task = imageTask({ numberResults: 2, uploadEndpoint: receiver.url });
    const id = String(task['taskUUID']);
    client.send([task]);
    const { data, errors } = await client.results(id, 2);
    expect(errors).toHaveLength(1);
    await harness.simulator.uploads.idle();
    expect(receiver.posts).toHaveLength(1);
    expect(harness.simulator.uploads.deliveries().map((upload) => upload.outputUUID)).toEqual([data[0]!['imageUUID']]);
  });

  it('PUTs each file of a 3dInference result, and nothing for an imageUpload (the caller’s own file)', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const upload = { taskType: 'imageUpload', taskUUID: taskUUID(), image: dataUri(await solidWithBox({ width: 8, height: 8 }, '#000000', { left: 0, top: 0, width: 1, height: 1, colour: '#ffffff' })), uploadEndpoint: receiver.url };
    const model = { taskType: '3dInference', taskUUID: taskUUID(), model: 'runware:3d@1', positivePrompt: 'a pebble', deliveryMethod: 'sync', uploadEndpoint: receiver.url };
    client.send([upload, model]);
    await client.results(upload.taskUUID);
    const { data } = await client.results(model.taskUUID);
    const files = (data[0]!['outputs'] as { files: { uuid: string; url: string }[] }).files;
    const response = await fetch(files[0]!.url);
    putOf(await receiver.received(1), Buffer.from(await response.arrayBuffer()), 'model/gltf-binary');
    await harness.simulator.uploads.idle();
    expect(harness.simulator.uploads.deliveries().map(({ taskType, outputUUID }) => ({ taskType, outputUUID }))).toEqual([{ taskType: '3dInference', outputUUID: files[0]!.uuid }]);
  });

  it('PUTs in fast mode the placeholder the result names, here as base64Data', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = imageTask({ outputType: 'base64Data', outputFormat: 'WEBP', uploadEndpoint: receiver.url });
    client.send([task]);
    const { data } = await client.results(String(task['taskUUID']));
    expect(data[0]).toEqual(expect.objectContaining({ imageBase64Data: expect.any(String) }));
    putOf(await receiver.received(1), await outputBytes(data[0]!), 'image/webp');
  });

  it('PUTs an audioInference file as its format', async () => {
    await harness.start();
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = { taskType: 'audioInference', taskUUID: taskUUID(), model: 'elevenlabs:1@1', positivePrompt: 'a calm piano piece', duration: 1, outputFormat: 'WAV', uploadEndpoint: receiver.url };
    client.send([task]);
    const { data } = await client.results(task.taskUUID);
    putOf(await receiver.received(1), await outputBytes(data[0]!, 'audio'), 'audio/wav');
  });

  it('PUTs a video once it is ready, the MP4 its videoURL serves', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = videoTask({ uploadEndpoint: receiver.url });
    const id = String(task['taskUUID']);
    client.send([task]);
    const puts = await receiver.received(1);
    const [reply] = await pollUntil(client, id, allSucceeded(1));
    const item: Item = reply!.data![0]!;
    putOf(puts, await outputBytes(item, 'video'), 'video/mp4');
  });

  it('PUTs the output of an image tool (removeBackground), not its input', async () => {
    await harness.start();
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const input = await solidWithBox({ width: 60, height: 40 }, '#2a7f3c', { left: 20, top: 15, width: 20, height: 10, colour: '#d02020' });
    const task = { taskType: 'removeBackground', taskUUID: taskUUID(), inputImage: dataUri(input), model: 'runware:110@1', uploadEndpoint: receiver.url };
    client.send([task]);
    const { data } = await client.results(task.taskUUID);
    const [put] = await receiver.received(1);
    expect(put!.bytes.equals(input)).toBe(false);
    putOf([put!], await outputBytes(data[0]!), 'image/png');
  });

  it('PUTs an upscale in fast mode', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const input = await solidWithBox({ width: 40, height: 30 }, '#2050c0', { left: 10, top: 10, width: 20, height: 10, colour: '#f0d010' });
    const task = { taskType: 'upscale', taskUUID: taskUUID(), inputImage: dataUri(input), upscaleFactor: 2, uploadEndpoint: receiver.url };
    client.send([task]);
    const { data } = await client.results(task.taskUUID);
    putOf(await receiver.received(1), await outputBytes(data[0]!), 'image/jpeg');
  });

  it.each([
    ['controlNetPreprocess', { preProcessorType: 'canny' }, 'guideImage'],
    ['imageMasking', { model: 'runware:35@1' }, 'maskImage'],
    ['vectorize', { model: 'recraft:1@1' }, 'image'],
    ['photoMaker', { model: 'civitai:139562@297320', positivePrompt: 'a portrait of img in a garden', width: 512, height: 384 }, 'image'],
  ] as const)('PUTs the output of %s, as its URL serves it', async (taskType, fields, prefix) => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const image = dataUri(await solidWithBox({ width: 40, height: 30 }, '#2050c0', { left: 10, top: 10, width: 20, height: 10, colour: '#f0d010' }));
    const input = taskType === 'photoMaker' ? { inputImages: [image] } : { inputImage: image };
    const task = { taskType, taskUUID: taskUUID(), ...input, ...fields, uploadEndpoint: receiver.url };
    client.send([task]);
    const { data, errors } = await client.results(task.taskUUID);
    expect(errors).toEqual([]);
    const response = await fetch(String(data[0]![`${prefix}URL`]));
    putOf(await receiver.received(1), Buffer.from(await response.arrayBuffer()), String(response.headers.get('content-type')));
  });

  it('tries a PUT answered 500 again, with the same bytes', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver((n) => (n === 1 ? 500 : 200));
    const client = await harness.authed();
    client.send([imageTask({ uploadEndpoint: receiver.url })]);
    const [first, second] = await receiver.received(2);
    expect(second!.method).toBe('PUT');
    expect(second!.bytes.equals(first!.bytes)).toBe(true);
    await harness.simulator.uploads.idle();
    expect(harness.simulator.uploads.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'delivered', attempts: [500, 200] }]);
  });

  it('close() resolves with a receiver that never answers, and aborts the PUT', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver(() => 'hang');
    const client = await harness.authed();
    client.send([imageTask({ uploadEndpoint: receiver.url })]);
    await receiver.received(1);
    const { uploads } = harness.simulator;
    await harness.simulator.close();
    await receiver.abandoned();
    await uploads.idle();
    expect(uploads.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'cancelled', attempts: [] }]);
  });

  it.each([['ftp://example.com/put'], ['/relative/put'], [42]])('refuses uploadEndpoint %j with invalidUploadEndpoint, and runs nothing', async (uploadEndpoint) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask({ uploadEndpoint });
    const id = String(task['taskUUID']);
    client.send([task]);
    const { data, errors } = await client.results(id);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidUploadEndpoint', parameter: 'uploadEndpoint', taskUUID: id })]);
    expect(harness.simulator.uploads.deliveries()).toEqual([]);
  });
});
