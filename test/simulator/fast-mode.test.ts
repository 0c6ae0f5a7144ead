import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { imageTask, type Item } from './support/raw-client.js';

const resultCount = (frames: readonly { data?: Item[] }[]) =>
  frames.reduce((sum, frame) => sum + (frame.data ?? []).filter((item) => 'imageUUID' in item).length, 0);

describe('simulator: fast mode (media: false)', () => {
  const harness = useSimulator();

  it('answers a frame of 5 000 image tasks with one frame of placeholder results (mixed framing)', async () => {
    const simulator = await harness.start({ media: false, framing: 'mixed' });
    const client = await harness.authed();
    const tasks = Array.from({ length: 5000 }, () => imageTask());
    const started = performance.now();
    client.send(tasks);
    const frame = await client.nextFrame(1);
    const elapsed = performance.now() - started;
    expect(frame.data).toHaveLength(5000);
    expect(frame.errors).toBeUndefined();
    expect(new Set(frame.data!.map((item) => item['taskUUID']))).toEqual(new Set(tasks.map((task) => task['taskUUID'])));
    expect(new Set(frame.data!.map((item) => item['imageURL']))).toEqual(new Set([`${simulator.httpUrl}/media/placeholder.jpg`]));
    expect(elapsed).toBeLessThan(3000);
  });

  it('keeps up with 5 000 single-task frames', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    for (let i = 0; i < 5000; i++) client.send([imageTask({ outputFormat: 'WEBP' })]);
    await client.until(() => (resultCount(client.frames) >= 5000 ? true : undefined), 10_000);
    // Results ready in the same turn share frames, so there are far fewer frames than tasks.
    expect(client.frames.length).toBeLessThanOrEqual(5001);
    expect(harness.simulator.stats()).toMatchObject({ tasksReceived: { imageInference: 5000, authentication: 1 } });
  });

  it.each(['PNG', 'JPG', 'WEBP'] as const)('serves a decodable %s placeholder, by URL and as base64', async (outputFormat) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const byUrl = imageTask({ outputFormat });
    const inline = imageTask({ outputFormat, outputType: 'base64Data' });
    client.send([byUrl, inline]);
    const [urlItem] = (await client.results(String(byUrl['taskUUID']))).data;
    const [inlineItem] = (await client.results(String(inline['taskUUID']))).data;
    const fetched = Buffer.from(await (await fetch(String(urlItem!['imageURL']))).arrayBuffer());
    const decoded = Buffer.from(String(inlineItem!['imageBase64Data']), 'base64');
    expect(decoded.equals(fetched)).toBe(true);
    const format = { PNG: 'png', JPG: 'jpeg', WEBP: 'webp' }[outputFormat];
    expect((await sharp(fetched).metadata()).format).toBe(format);
  });
});
