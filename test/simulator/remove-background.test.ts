import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, inBox, outputBytes, pixelsOf, solidWithBox } from './support/media.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

const SIZE = { width: 60, height: 40 };
const BOX = { left: 20, top: 15, width: 20, height: 10 };
/** The known input: a solid green background and a solid red box. */
const input = (format: 'png' | 'jpeg' = 'png') => solidWithBox(SIZE, '#2a7f3c', { ...BOX, colour: '#d02020' }, format);

/** The alpha channel (or the grey level, for a mask) at every pixel, with whether it lies in the box. */
const alphas = async (bytes: Buffer, channel = 3) => {
  const { data, width, height } = await pixelsOf(bytes);
  expect({ width, height }).toEqual(SIZE);
  const all: { x: number; y: number; value: number; inside: boolean }[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) all.push({ x, y, value: data[4 * (y * width + x) + channel]!, inside: inBox(BOX, x, y) });
  return all;
};

describe('simulator: removeBackground', () => {
  const harness = useSimulator();

  it('returns a PNG whose alpha is 0 on the background and 255 on the subject, pixel for pixel', async () => {
    await harness.start();
    const client = await harness.authed();
    const { task, data, errors } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(await input()), model: 'runware:110@1' });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({
      taskType: 'removeBackground',
      taskUUID: task.taskUUID,
      imageUUID: expect.any(String),
      inputImageUUID: expect.any(String),
      imageURL: expect.stringMatching(/\.png$/),
    });
    const bytes = await outputBytes(data[0]!);
    expect((await sharp(bytes).metadata()).format).toBe('png');
    const wrong = (await alphas(bytes)).filter(({ value, inside }) => value !== (inside ? 255 : 0));
    expect(wrong).toEqual([]);
    // The subject keeps its colour.
    const { data: rgba } = await pixelsOf(bytes);
    const centre = 4 * (20 * SIZE.width + 30);
    expect([...rgba.subarray(centre, centre + 3)]).toEqual([0xd0, 0x20, 0x20]);
  });

  it('applies the rule within a tolerance, so a JPEG input (with its artefacts) comes out the same away from the edges', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(await input('jpeg'), 'image/jpeg') });
    const nearEdge = ({ x, y }: { x: number; y: number }) =>
      x >= BOX.left - 2 && x < BOX.left + BOX.width + 2 && y >= BOX.top - 2 && y < BOX.top + BOX.height + 2 && !inBox({ left: BOX.left + 2, top: BOX.top + 2, width: BOX.width - 4, height: BOX.height - 4 }, x, y);
    const wrong = (await alphas(await outputBytes(data[0]!))).filter((pixel) => !nearEdge(pixel) && pixel.value !== (pixel.inside ? 255 : 0));
    expect(wrong).toEqual([]);
  });

  it('returnOnlyMask returns the mask: an opaque image, white on the subject and black on the background', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(await input()), settings: { returnOnlyMask: true } });
    const bytes = await outputBytes(data[0]!);
    expect((await alphas(bytes)).every(({ value }) => value === 255)).toBe(true);
    expect((await alphas(bytes, 0)).filter(({ value, inside }) => value !== (inside ? 255 : 0))).toEqual([]);
  });

  it('rgba fills the background with its colour and alpha (0–1)', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(await input()), settings: { rgba: [255, 255, 255, 0.5] }, outputType: 'base64Data' });
    const { data: rgba } = await pixelsOf(await outputBytes(data[0]!));
    expect([...rgba.subarray(0, 4)]).toEqual([255, 255, 255, 128]);
    const centre = 4 * (20 * SIZE.width + 30);
    expect([...rgba.subarray(centre, centre + 4)]).toEqual([0xd0, 0x20, 0x20, 255]);
  });

  it('accepts the legacy imageBackgroundRemoval with py-legacy\'s flattened settings, answering with that taskType', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { taskType: 'imageBackgroundRemoval', inputImage: dataUri(await input()), returnOnlyMask: true, outputFormat: 'PNG' });
    expect(data[0]).toMatchObject({ taskType: 'imageBackgroundRemoval' });
    expect((await alphas(await outputBytes(data[0]!), 0)).filter(({ value, inside }) => value !== (inside ? 255 : 0))).toEqual([]);
    // A nested value wins over a flat one.
    const nested = await run(client, { taskType: 'imageBackgroundRemoval', inputImage: dataUri(await input()), returnOnlyMask: true, settings: { returnOnlyMask: false } });
    expect((await alphas(await outputBytes(nested.data[0]!))).filter(({ value, inside }) => value !== (inside ? 255 : 0))).toEqual([]);
  });

  it('postProcessMask removes an isolated speck that the plain rule keeps as subject', async () => {
    await harness.start();
    const client = await harness.authed();
    const speck = await sharp(await input()).composite([{ input: { create: { width: 1, height: 1, channels: 4, background: '#ffffff' } }, left: 5, top: 5 }]).png().toBuffer();
    const alphaAt = async (fields: Record<string, unknown>) => {
      const { data } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(speck), ...fields });
      return (await alphas(await outputBytes(data[0]!))).find(({ x, y }) => x === 5 && y === 5)!.value;
    };
    expect(await alphaAt({})).toBe(255);
    expect(await alphaAt({ settings: { postProcessMask: true } })).toBe(0);
  });

  it('alphaMatting feathers the edge of the subject only', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, {
      taskType: 'removeBackground',
      inputImage: dataUri(await input()),
      settings: { alphaMatting: true, alphaMattingForegroundThreshold: 250, alphaMattingBackgroundThreshold: 5, alphaMattingErodeSize: 15 },
    });
    const pixels = await alphas(await outputBytes(data[0]!));
    expect(pixels.some(({ value }) => value > 0 && value < 255)).toBe(true);
    expect(pixels.find(({ x, y }) => x === 0 && y === 0)!.value).toBe(0);
    expect(pixels.find(({ x, y }) => x === 30 && y === 20)!.value).toBe(255);
  });

  it('flattens a JPG output (no alpha) onto white', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(await input()), outputFormat: 'JPG' });
    const bytes = await outputBytes(data[0]!);
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
    const { data: rgba } = await pixelsOf(bytes);
    expect([...rgba.subarray(0, 3)].every((channel) => channel >= 250)).toBe(true);
  });

  it.each([
    [{ settings: { rgba: [255, 255, 255, 255] } }, 'invalidRgba', 'settings.rgba'],
    [{ rgba: 'white' }, 'invalidRgba', 'rgba'],
    [{ settings: { alphaMattingForegroundThreshold: 0 } }, 'invalidAlphaMattingForegroundThreshold', 'settings.alphaMattingForegroundThreshold'],
    [{ alphaMattingErodeSize: 256 }, 'invalidAlphaMattingErodeSize', 'alphaMattingErodeSize'],
    [{ settings: { postProcessMask: 'yes' } }, 'invalidPostProcessMask', 'settings.postProcessMask'],
    [{ settings: [] }, 'invalidSettings', 'settings'],
    [{ inputImage: undefined }, 'missingInputImage', 'inputImage'],
    [{ model: 'nonexistent:999@999' }, 'modelNotFound', 'model'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, { taskType: 'removeBackground', inputImage: dataUri(await input()), ...change });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'removeBackground' })]);
  });
});
