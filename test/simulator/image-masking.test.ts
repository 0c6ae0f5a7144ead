import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, inBox, outputBytes, pixelsOf, solid, solidWithBox } from './support/media.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskType: 'imageMasking', taskUUID: taskUUID(), model: 'runware:35@1', ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

describe('simulator: imageMasking', () => {
  const harness = useSimulator();
  const BOX = { left: 20, top: 10, width: 24, height: 16 };

  it('detects the subject on a plain ground: its box, and a mask white inside it (padded) and black elsewhere', async () => {
    await harness.start();
    const client = await harness.authed();
    const input = await solidWithBox({ width: 80, height: 50 }, '#30a050', { ...BOX, colour: '#e02020' });
    const { task, data, errors } = await run(client, { inputImage: dataUri(input), maskPadding: 2, maskBlur: 0, includeCost: true });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({
      taskType: 'imageMasking',
      taskUUID: task.taskUUID,
      inputImageUUID: expect.any(String),
      maskImageUUID: expect.any(String),
      maskImageURL: expect.stringMatching(/\.png$/),
      detections: [{ x_min: 20, y_min: 10, x_max: 43, y_max: 25 }],
      cost: expect.any(Number),
    });
    const mask = await pixelsOf(await outputBytes(data[0]!, 'maskImage'));
    expect([mask.width, mask.height]).toEqual([80, 50]);
    const padded = { left: 18, top: 8, width: 28, height: 20 };
    const wrong = [...Array(80 * 50).keys()].filter((p) => mask.data[4 * p] !== (inBox(padded, p % 80, Math.floor(p / 80)) ? 255 : 0));
    expect(wrong).toEqual([]);
  });

  it('answers the placeholder under the mask field names in fast mode, as each outputType asks', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const asked = await Promise.all((['URL', 'base64Data', 'dataURI'] as const).map((outputType) => run(client, { inputImage: 'https://example.com/face.jpg', outputType })));
    expect(asked.map(({ errors }) => errors)).toEqual([[], [], []]);
    expect(asked.map(({ data }) => Object.keys(data[0]!).filter((key) => key.startsWith('maskImage')).sort())).toEqual([
      ['maskImageURL', 'maskImageUUID'],
      ['maskImageBase64Data', 'maskImageUUID'],
      ['maskImageDataURI', 'maskImageUUID'],
    ]);
    expect(asked.map(({ data }) => data[0]!.detections)).toEqual([[], [], []]);
  });

  it('finds several subjects, largest first, keeps maxDetections of them, and reads the settings nested too', async () => {
    await harness.start();
    const client = await harness.authed();
    const big = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#ffffff' } }).png().toBuffer();
    const small = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#000000' } }).png().toBuffer();
    const input = await sharp({ create: { width: 100, height: 60, channels: 4, background: '#808080' } }).composite([{ input: small, left: 5, top: 5 }, { input: big, left: 60, top: 30 }]).png().toBuffer();
    const both = await run(client, { inputs: { image: dataUri(input) } });
    expect(both.data[0]!['detections']).toEqual([{ x_min: 60, y_min: 30, x_max: 79, y_max: 49 }, { x_min: 5, y_min: 5, x_max: 12, y_max: 12 }]);
    const one = await run(client, { inputs: { image: dataUri(input) }, settings: { maxDetections: 1, maskBlur: 6 }, outputType: 'base64Data' });
    expect(one.data[0]!['detections']).toHaveLength(1);
    const blurred = await pixelsOf(await outputBytes(one.data[0]!, 'maskImage'));
    // Blurred: grey levels appear at the edge of the box.
    expect(new Set(blurred.data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(2);
  });

  it('detects nothing in a plain image: an all-black mask and no detections', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { inputImage: dataUri(await solid(30, 20, '#123456')) });
    expect(data[0]!['detections']).toEqual([]);
    const mask = await pixelsOf(await outputBytes(data[0]!, 'maskImage'));
    expect(Math.max(...mask.data.filter((_, i) => i % 4 === 0))).toBe(0);
  });

  it.each([
    [{ model: undefined }, 'missingModel', 'model'],
    [{ inputImage: undefined }, 'missingInputImage', 'inputImage'],
    [{ confidence: 1.5 }, 'invalidConfidence', 'confidence'],
    [{ settings: { maxDetections: 0 } }, 'invalidMaxDetections', 'settings.maxDetections'],
    [{ maskBlur: -1 }, 'invalidMaskBlur', 'maskBlur'],
    [{ outputFormat: 'BMP' }, 'unsupportedOutputFormat', 'outputFormat'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, { inputImage: 'https://example.com/face.jpg', ...change });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'imageMasking' })]);
  });
});
