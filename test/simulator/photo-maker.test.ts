import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, solid } from './support/media.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const task = { taskType: 'photoMaker', taskUUID: taskUUID(), model: 'civitai:139562@297320', positivePrompt: 'a portrait of img in a garden', width: 512, height: 384, ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID), count)) };
};

describe('simulator: photoMaker', () => {
  const harness = useSimulator();

  it('answers numberResults images of the requested size, seeds counting up, the inputs kept as inputImagesUUID', async () => {
    await harness.start();
    const client = await harness.authed();
    const face = dataUri(await solid(64, 64, '#d0a080'));
    const { task, data, errors } = await run(client, { inputImages: [face, 'https://example.com/face.jpg'], style: 'Cinematic', numberResults: 2, seed: 11, outputFormat: 'PNG', includeCost: true }, 2);
    expect(errors).toEqual([]);
    // Results of one task arrive as each is drawn, in any order (as the API's do).
    expect(data.map((item) => Number(item['seed'])).sort((a, b) => a - b)).toEqual([11, 12]);
    for (const item of data) {
      expect(item).toMatchObject({ taskType: 'photoMaker', taskUUID: task.taskUUID, imageUUID: expect.any(String), imageURL: expect.stringMatching(/\.png$/), cost: expect.any(Number) });
      expect(item['inputImagesUUID']).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
      expect(await sharp(await outputBytes(item)).metadata()).toMatchObject({ width: 512, height: 384, format: 'png' });
    }
  });

  it('takes py-legacy’s null style and strength as absent', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { errors } = await run(client, { inputImages: ['https://example.com/face.jpg'], style: null, strength: null });
    expect(errors).toEqual([]);
  });

  it.each([
    [{ inputImages: undefined }, 'missingInputImages', 'inputImages'],
    [{ inputImages: [] }, 'invalidInputImages', 'inputImages'],
    [{ inputImages: ['a', 'b', 'c', 'd', 'e'] }, 'invalidInputImages', 'inputImages'],
    [{ inputImages: ['not media!'] }, 'invalidInputImages', 'inputImages[0]'],
    [{ width: undefined }, 'missingWidth', 'width'],
    [{ height: 4096 }, 'invalidHeight', 'height'],
    [{ style: 'Baroque' }, 'invalidStyle', 'style'],
    [{ strength: 10 }, 'invalidStrength', 'strength'],
    [{ positivePrompt: undefined }, 'missingPositivePrompt', 'positivePrompt'],
    [{ model: undefined }, 'missingModel', 'model'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, { inputImages: ['https://example.com/face.jpg'], ...change });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'photoMaker' })]);
  });
});
