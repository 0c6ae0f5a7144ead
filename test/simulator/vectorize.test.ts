import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, pixelsOf } from './support/media.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskType: 'vectorize', taskUUID: taskUUID(), model: 'recraft:1@1', ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

/** Flat shapes on a plain ground: what a tracer should give back almost exactly. */
const shapes = (width: number, height: number): Promise<Buffer> =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#2050c0"/>` +
        `<circle cx="${width * 0.45}" cy="${height * 0.4}" r="${height * 0.25}" fill="#f0d010"/><rect x="${width * 0.1}" y="${height * 0.6}" width="${width * 0.3}" height="${height * 0.25}" fill="#c02020"/></svg>`,
    ),
  )
    .png()
    .toBuffer();

/** Mean absolute difference per channel (0–255) between two images of the same size, alpha flattened onto white. */
const meanDifference = async (a: Buffer, b: Buffer): Promise<number> => {
  const [pa, pb] = await Promise.all([a, b].map(async (bytes) => pixelsOf(await sharp(bytes).flatten({ background: '#ffffff' }).png().toBuffer())));
  expect([pb!.width, pb!.height]).toEqual([pa!.width, pa!.height]);
  let sum = 0;
  for (let i = 0; i < pa!.data.length; i++) if (i % 4 !== 3) sum += Math.abs(pa!.data[i]! - pb!.data[i]!);
  return sum / ((pa!.data.length / 4) * 3);
};

describe('simulator: vectorize', () => {
  const harness = useSimulator();

  it('traces the input into an SVG that, rasterised at the input size, differs from it by under 4 levels a channel on average', async () => {
    await harness.start();
    const client = await harness.authed();
    const input = await shapes(320, 200);
    const { task, data, errors } = await run(client, { inputs: { image: dataUri(input) }, includeCost: true });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({ taskType: 'vectorize', taskUUID: task.taskUUID, imageUUID: expect.any(String), inputImageUUID: expect.any(String), imageURL: expect.stringMatching(/\.svg$/), cost: expect.any(Number) });
    const svg = await outputBytes(data[0]!);
    expect(svg.toString('utf8')).toMatch(/^<svg width="320" height="200" /);
    expect((await sharp(svg).metadata()).format).toBe('svg');
    expect(await meanDifference(input, await sharp(svg).png().toBuffer())).toBeLessThan(4);
  });

  it('traces a large input at a bounded size and still renders at the input size, takes inputImage too, and answers base64', async () => {
    await harness.start();
    const client = await harness.authed();
    const input = await shapes(1200, 900);
    const { data } = await run(client, { inputImage: input.toString('base64'), outputType: 'base64Data', outputFormat: 'svg' });
    const svg = await outputBytes(data[0]!);
    const raster = await sharp(svg).png().toBuffer();
    expect((await sharp(raster).metadata()).width).toBe(1200);
    expect(await meanDifference(input, raster)).toBeLessThan(6);
  });

  it('traces the scene of a prompt when there is no image (text to vector), and in fast mode answers a one-colour SVG', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data, errors } = await run(client, { positivePrompt: 'a red barn', width: 256, height: 256 });
    expect(errors).toEqual([]);
    expect((await sharp(await outputBytes(data[0]!)).metadata()).width).toBe(256);
  });

  it.each([
    [{}, 'missingImage', 'inputs.image'],
    [{ inputs: { image: 'not an image' } }, 'invalidImage', 'inputs.image'],
    [{ inputs: { image: 'https://example.com/a.png' }, outputFormat: 'PNG' }, 'unsupportedOutputFormat', 'outputFormat'],
    [{ inputs: { image: 'https://example.com/a.png' }, model: 'nowhere:1@1' }, 'modelNotFound', 'model'],
    [{ inputs: 'https://example.com/a.png' }, 'invalidInputs', 'inputs'],
  ])('rejects %j with %s naming %s', async (fields, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, fields);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'vectorize' })]);
  });

  it('answers a placeholder SVG in fast mode', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data } = await run(client, { inputs: { image: 'https://example.com/a.png' } });
    expect((await outputBytes(data[0]!)).toString('utf8')).toMatch(/^<svg /);
  });
});
