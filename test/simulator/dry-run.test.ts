import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { authenticate, imageTask, openClient, taskUUID, videoTask, type RawClient } from './support/raw-client.js';

/*
 * The dry run (protocol §10.6): a socket whose URL says dryRun=1 has every task validated as
 * usual and answered by one item { taskType, taskUUID, cost }, for async tasks too; nothing runs,
 * nothing is stored. Invalid tasks get their usual errors.
 */

describe('simulator: dry run', () => {
  const harness = useSimulator();
  const dry = async (url: string, query = '?dryRun=1'): Promise<RawClient> => {
    const client = await openClient(`${url}${query}`);
    await authenticate(client);
    return client;
  };

  it('prices each valid task with one item, runs and stores nothing, and errors as usual', async () => {
    const simulator = await harness.start({ media: false });
    const client = await dry(simulator.url);
    const image = imageTask({ numberResults: 3, width: 512, height: 512 });
    const video = videoTask();
    const upload = { taskType: 'modelUpload', taskUUID: taskUUID(), category: 'lora', architecture: 'flux1d', format: 'safetensors', name: 'x', version: '1', downloadURL: 'https://example.com/x.safetensors' };
    const bad = imageTask({ width: 100 });
    client.send([image, video, upload, bad]);
    const taskItems = () => client.frames.flatMap((frame) => [...(frame.data ?? []), ...(frame.errors ?? [])]).filter((item) => item['taskType'] !== 'authentication');
    await client.until(() => (taskItems().length >= 4 ? true : undefined));
    const items = client.frames.flatMap((frame) => frame.data ?? []).filter((item) => item['taskType'] !== 'authentication');
    expect(items).toEqual([
      { taskType: 'imageInference', taskUUID: image.taskUUID, cost: expect.any(Number) },
      { taskType: 'videoInference', taskUUID: video.taskUUID, cost: expect.any(Number) },
      { taskType: 'modelUpload', taskUUID: upload.taskUUID, cost: 0 },
    ]);
    expect(Number(items[0]!['cost'])).toBeGreaterThan(0);
    expect(client.frames.flatMap((frame) => frame.errors ?? [])).toEqual([expect.objectContaining({ code: 'invalidWidth', taskUUID: bad.taskUUID })]);

    // Nothing stored: getResponse knows none of them, and a normal socket may run the same taskUUIDs.
    client.send([{ taskType: 'getResponse', taskUUID: video.taskUUID }]);
    expect((await client.results(String(video.taskUUID), 2)).errors).toEqual([expect.objectContaining({ code: 'taskNotFound' })]);
    const live = await harness.authed();
    live.send([image]);
    expect((await live.results(String(image.taskUUID), 3)).data.map((item) => item['imageUUID'])).toHaveLength(3);
  });

  it('prices the same as includeCost reports, per result', async () => {
    const simulator = await harness.start({ media: false });
    const client = await dry(simulator.url, '?sdk=js&version=1.3.2&dryRun=1');
    const live = await harness.authed();
    const task = imageTask({ width: 1024, height: 768, steps: 30, numberResults: 2, includeCost: true });
    client.send([task]);
    live.send([{ ...task, taskUUID: taskUUID() }]);
    const priced = (await client.results(String(task.taskUUID))).data[0]!;
    const results = await live.until(() => {
      const items = live.frames.flatMap((frame) => frame.data ?? []).filter((item) => item['taskType'] === 'imageInference');
      return items.length >= 2 ? items : undefined;
    });
    expect(Number(priced['cost'])).toBeCloseTo(results.reduce((sum, item) => sum + Number(item['cost']), 0), 9);
  });

  it('is off without dryRun=1 (dryRun=0 runs the task)', async () => {
    const simulator = await harness.start({ media: false });
    const client = await dry(simulator.url, '?dryRun=0');
    const task = imageTask();
    client.send([task]);
    expect((await client.results(String(task.taskUUID))).data[0]).toMatchObject({ imageUUID: expect.any(String) });
  });
});
