import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { allSucceeded, pollUntil, videoTask } from './support/raw-client.js';

/** Width and height from the first `avc1` sample entry of an MP4 (VisualSampleEntry layout). */
const avcSize = (bytes: Buffer): { width: number; height: number } => {
  const at = bytes.indexOf('avc1');
  expect(at).toBeGreaterThan(0);
  // After the 4-byte type: 6 reserved, 2 data_reference_index, 16 pre_defined/reserved bytes.
  return { width: bytes.readUInt16BE(at + 4 + 24), height: bytes.readUInt16BE(at + 4 + 26) };
};

describe('simulator: videoInference', () => {
  const harness = useSimulator();

  it('acks at once, reports increasing progress, then succeeds with a playable MP4 served over HTTP', async () => {
    await harness.start({ videoReadyAfterMs: 600 });
    const client = await harness.authed();
    const task = videoTask({ seed: 11, includeCost: true });
    const id = String(task['taskUUID']);
    client.send([task]);
    expect((await client.results(id)).data).toEqual([{ taskType: 'videoInference', taskUUID: id }]);

    const replies = await pollUntil(client, id, allSucceeded(1), { intervalMs: 100 });
    const processing = replies.slice(0, -1).map((reply) => reply.data![0]!);
    expect(processing.length).toBeGreaterThanOrEqual(2);
    for (const item of processing) {
      expect(item).toEqual({ taskType: 'videoInference', taskUUID: id, status: 'processing', progress: expect.any(Number) });
    }
    const progress = processing.map((item) => Number(item['progress']));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBeGreaterThan(progress[0]!);
    expect(Math.max(...progress)).toBeLessThan(100);

    const success = replies.at(-1)!.data![0]!;
    expect(success).toEqual({
      taskType: 'videoInference',
      taskUUID: id,
      status: 'success',
      videoUUID: expect.any(String),
      videoURL: expect.stringMatching(/\.mp4$/),
      seed: 11,
      cost: expect.any(Number),
    });

    const response = await fetch(String(success['videoURL']));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // 1280×720 by default, encoded within 480 px keeping the aspect ratio.
    expect(avcSize(bytes)).toEqual({ width: 480, height: 270 });

    const partial = await fetch(String(success['videoURL']), { headers: { range: 'bytes=0-7' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 0-7/${bytes.length}`);

    // Success items repeat, unchanged, on later polls.
    const [again] = await pollUntil(client, id, () => true);
    expect(again!.data).toEqual([success]);
  });

  it('keeps the requested aspect ratio and reports every generation in a stable order', async () => {
    await harness.start({ videoReadyAfterMs: 200 });
    const client = await harness.authed();
    const task = videoTask({ width: 512, height: 1024 - 64, numberResults: 2, seed: 3, model: 'bytedance:2@1', duration: 3 });
    const id = String(task['taskUUID']);
    client.send([task]);
    await client.results(id);
    const replies = await pollUntil(client, id, allSucceeded(2), { intervalMs: 60 });
    const items = replies.at(-1)!.data!;
    expect(items.map((item) => item['seed'])).toEqual([3, 4]);
    for (const reply of replies) expect(reply.data).toHaveLength(2);
    const bytes = Buffer.from(await (await fetch(String(items[0]!['videoURL']))).arrayBuffer());
    expect(avcSize(bytes)).toEqual({ width: 256, height: 480 });
  });

  it('rejects a duration the model does not support, listing the allowed values', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = videoTask({ model: 'klingai:5@3', duration: 7 });
    client.send([task]);
    const { data, errors } = await client.results(String(task['taskUUID']));
    expect(data).toEqual([]);
    expect(errors).toEqual([
      {
        code: 'unsupportedDuration',
        message: expect.any(String),
        parameter: 'duration',
        type: 'float',
        taskType: 'videoInference',
        taskUUID: task['taskUUID'],
        documentation: expect.stringContaining('#request-duration'),
        allowedValues: [5, 10],
      },
    ]);
  });

  it.each([
    { change: { deliveryMethod: 'sync' }, parameter: 'deliveryMethod', code: 'unsupportedDeliveryMethod', allowedValues: ['async'] },
    { change: { outputFormat: 'GIF' }, parameter: 'outputFormat', code: 'unsupportedOutputFormat', allowedValues: ['MP4', 'WEBM', 'MOV'] },
    { change: { outputType: 'base64Data' }, parameter: 'outputType', code: 'unsupportedOutputType', allowedValues: ['URL'] },
    { change: { model: 'bytedance:2@1', duration: 11 }, parameter: 'duration', code: 'invalidDuration' },
    { change: { width: 250 }, parameter: 'width', code: 'invalidWidth' },
    { change: { width: 120 }, parameter: 'width', code: 'invalidWidth' },
    { change: { height: 4104 }, parameter: 'height', code: 'invalidHeight' },
    { change: { fps: 61 }, parameter: 'fps', code: 'invalidFps' },
    { change: { numberResults: 5 }, parameter: 'numberResults', code: 'invalidNumberResults' },
  ])('rejects $parameter ($code)', async ({ change, parameter, code, allowedValues }) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = videoTask(change);
    client.send([task]);
    const { errors } = await client.results(String(task['taskUUID']));
    expect(errors[0]).toMatchObject({ code, parameter, taskUUID: task['taskUUID'], ...(allowedValues ? { allowedValues } : {}) });
  });

  it.each([
    [1080, 1920],
    [720, 1280],
    [3840, 2160],
    [128, 4096],
  ])('accepts %i×%i: portrait and 4K are ordinary sizes (protocol §10.2)', async (width, height) => {
    await harness.start({ media: false, videoReadyAfterMs: 0 });
    const client = await harness.authed();
    const task = videoTask({ width, height });
    client.send([task]);
    const { data, errors } = await client.results(String(task['taskUUID']));
    expect(errors).toEqual([]);
    expect(data).toEqual([{ taskType: 'videoInference', taskUUID: task['taskUUID'] }]);
  });

  it('accepts lower-case "mp4" and serves the placeholder MP4 in fast mode', async () => {
    const simulator = await harness.start({ media: false, videoReadyAfterMs: 0 });
    const client = await harness.authed();
    const task = videoTask({ outputFormat: 'mp4' });
    const id = String(task['taskUUID']);
    client.send([task]);
    await client.results(id);
    const [reply] = await pollUntil(client, id, allSucceeded(1));
    expect(reply!.data![0]!['videoURL']).toBe(`${simulator.httpUrl}/media/placeholder.mp4`);
    const bytes = Buffer.from(await (await fetch(`${simulator.httpUrl}/media/placeholder.mp4`)).arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });
});
