import { describe, expect, it } from 'vitest';
import { mp4Info } from '../../src/simulator/media/mp4-info.js';
import { useSimulator } from './support/harness.js';
import { allSucceeded, pollUntil, taskUUID, videoTask, type Item, type RawClient } from './support/raw-client.js';

/*
 * The video forms of caption, upscale and removeBackground: inputs.video, async only, real MP4
 * outputs (read back by their header), the input's size and length read from its own header.
 */

const submit = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

// Encoding takes a while on a busy machine: a generous bound, polled every 20 ms.
const finished = async (client: RawClient, taskUUID: string): Promise<Item> => (await pollUntil(client, taskUUID, allSucceeded(1), { intervalMs: 20, timeoutMs: 25_000 })).at(-1)!.data![0]!;

const mp4Of = async (url: unknown) => {
  const response = await fetch(String(url));
  expect(response.headers.get('content-type')).toBe('video/mp4');
  return mp4Info(Buffer.from(await response.arrayBuffer()));
};

/** A video the simulator made itself (640×360, its renderer's 2 s at 12 fps within 480 px), by UUID. */
const generatedVideo = async (client: RawClient): Promise<string> => {
  const { task } = await submit(client, videoTask({ width: 640, height: 360 }));
  return String((await finished(client, String(task.taskUUID)))['videoUUID']);
};

describe('simulator: the video tools', () => {
  const harness = useSimulator();

  it('upscale of a video: acknowledged, then an MP4 of factor × the input’s size (within the encoder’s 480-px cap)', async () => {
    await harness.start({ videoReadyAfterMs: 20 });
    const client = await harness.authed();
    const video = await generatedVideo(client);
    expect(await mp4Of((await finished(client, (await submit(client, videoTask())).task.taskUUID as string))['videoURL'])).toMatchObject({ width: 480, height: 270 });
    const small = await submit(client, { taskType: 'upscale', inputs: { video: 'https://example.com/clip.mp4' }, upscaleFactor: 2, includeCost: true });
    expect(small.data).toEqual([{ taskType: 'upscale', taskUUID: small.task.taskUUID }]);
    const done = await finished(client, String(small.task.taskUUID));
    expect(done).toMatchObject({ status: 'success', taskType: 'upscale', videoUUID: expect.any(String), videoURL: expect.stringMatching(/\.mp4$/), cost: expect.any(Number) });
    // The stand-in is 640×360: twice that is 1280×720, encoded within 480 px at the same aspect ratio.
    expect(await mp4Of(done['videoURL'])).toMatchObject({ width: 480, height: 270 });

    const byUUID = await submit(client, { taskType: 'upscale', inputs: { video }, width: 320, height: 240 });
    expect(await mp4Of((await finished(client, String(byUUID.task.taskUUID)))['videoURL'])).toMatchObject({ width: 320, height: 240 });
  });

  it('removeBackground of a video: an MP4 of the input’s size', async () => {
    await harness.start({ videoReadyAfterMs: 20 });
    const client = await harness.authed();
    const video = await generatedVideo(client);
    const { task } = await submit(client, { taskType: 'removeBackground', inputs: { video }, model: 'runware:112@5', settings: { rgba: [0, 255, 0, 1] } });
    const done = await finished(client, String(task.taskUUID));
    expect(await mp4Of(done['videoURL'])).toMatchObject({ width: 480, height: 270 });
  });

  it('caption of a video: its length, size and rate from its header, in 6-second segments', async () => {
    await harness.start({ videoReadyAfterMs: 20 });
    const client = await harness.authed();
    const video = await generatedVideo(client);
    const { task } = await submit(client, { taskType: 'caption', inputs: { video }, prompt: 'what happens?' });
    const done = await finished(client, String(task.taskUUID));
    expect(done['text']).toBe('A 2.0-second 480×270 landscape video at 12 fps. [0:00–0:02] Segment 1 of the video. Asked: "what happens?".');
    const standIn = await submit(client, { taskType: 'caption', inputs: { video: 'https://example.com/long.mp4' } });
    expect((await finished(client, String(standIn.task.taskUUID)))['text']).toMatch(/^A 5\.0-second 640×360 landscape video at 24 fps\. \[0:00–0:05\]/);
  });

  it.each([
    [{ taskType: 'upscale', upscaleFactor: 2, deliveryMethod: 'sync' }, 'unsupportedDeliveryMethod', 'deliveryMethod'],
    [{ taskType: 'caption', deliveryMethod: 'sync' }, 'unsupportedDeliveryMethod', 'deliveryMethod'],
    [{ taskType: 'removeBackground', deliveryMethod: 'sync' }, 'unsupportedDeliveryMethod', 'deliveryMethod'],
    [{ taskType: 'upscale' }, 'missingUpscaleFactor', 'upscaleFactor'],
    [{ taskType: 'upscale', upscaleFactor: 8 }, 'invalidUpscaleFactor', 'upscaleFactor'],
    [{ taskType: 'upscale', upscaleFactor: 2, outputFormat: 'GIF' }, 'unsupportedOutputFormat', 'outputFormat'],
    [{ taskType: 'removeBackground', outputFormat: 'AVI' }, 'unsupportedOutputFormat', 'outputFormat'],
    [{ taskType: 'removeBackground', outputType: 'base64Data' }, 'unsupportedOutputType', 'outputType'],
    [{ taskType: 'caption', inputs: { video: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' } }, 'invalidVideo', 'inputs.video'],
    [{ taskType: 'caption', inputs: { video: 'c0ffee00-0000-4000-8000-000000000000' } }, 'mediaNotFound', 'inputs.video'],
  ])('rejects %j with %s naming %s', async (fields, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await submit(client, { inputs: { video: 'https://example.com/v.mp4' }, ...fields });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: fields.taskType })]);
  });

  it('in fast mode answers the placeholder MP4', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 0 });
    const client = await harness.authed();
    const { task } = await submit(client, { taskType: 'upscale', inputs: { video: 'https://example.com/v.mp4' }, upscaleFactor: 4 });
    expect(String((await finished(client, String(task.taskUUID)))['videoURL'])).toMatch(/placeholder\.mp4$/);
  });
});
