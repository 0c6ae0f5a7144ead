import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { allSucceeded, imageTask, pollUntil, taskUUID, type Item } from './support/raw-client.js';

const SHARP_FORMAT = { PNG: 'png', JPG: 'jpeg', WEBP: 'webp' } as const;
const MIME = { PNG: 'image/png', JPG: 'image/jpeg', WEBP: 'image/webp' } as const;
type Format = keyof typeof SHARP_FORMAT;

/** The bytes of an image result, whatever its outputType; URL outputs are fetched and their Content-Type checked. */
const imageBytes = async (item: Item, format: Format): Promise<Buffer> => {
  if (typeof item['imageURL'] === 'string') {
    const response = await fetch(item['imageURL']);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(MIME[format]);
    return Buffer.from(await response.arrayBuffer());
  }
  if (typeof item['imageBase64Data'] === 'string') return Buffer.from(item['imageBase64Data'], 'base64');
  const uri = String(item['imageDataURI']);
  expect(uri.startsWith(`data:${MIME[format]};base64,`)).toBe(true);
  return Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
};

describe('simulator: imageInference', () => {
  const harness = useSimulator();

  const outputCases = (['URL', 'base64Data', 'dataURI'] as const).flatMap((outputType) =>
    (['PNG', 'JPG', 'WEBP'] as const).map((outputFormat) => ({ outputType, outputFormat })),
  );

  it.each(outputCases)('returns a real $outputFormat image as $outputType at the exact size', async ({ outputType, outputFormat }) => {
    await harness.start();
    const client = await harness.authed();
    const task = imageTask({ outputType, outputFormat, width: 320, height: 192 });
    client.send([task]);
    const { data, errors } = await client.results(String(task['taskUUID']));
    expect(errors).toEqual([]);
    const item = data[0]!;
    expect(item).toMatchObject({ taskType: 'imageInference', taskUUID: task['taskUUID'], imageUUID: expect.any(String) });
    const field = outputType === 'URL' ? 'imageURL' : outputType === 'base64Data' ? 'imageBase64Data' : 'imageDataURI';
    expect(Object.keys(item).filter((key) => key.startsWith('image') && key !== 'imageUUID')).toEqual([field]);
    const metadata = await sharp(await imageBytes(item, outputFormat)).metadata();
    expect(metadata).toMatchObject({ format: SHARP_FORMAT[outputFormat], width: 320, height: 192 });
  });

  it.each([
    { resolution: '1k', side: 1024 },
    { resolution: '2K', side: 2048 },
  ])('takes resolution "$resolution" without width and height: a square image of $side px', async ({ resolution, side }) => {
    await harness.start();
    const client = await harness.authed();
    const task = imageTask({ width: undefined, height: undefined, resolution, outputType: 'base64Data', outputFormat: 'PNG' });
    client.send([task]);
    const { data, errors } = await client.results(String(task['taskUUID']));
    expect(errors).toEqual([]);
    const metadata = await sharp(await imageBytes(data[0]!, 'PNG')).metadata();
    expect(metadata).toMatchObject({ width: side, height: side });
  });

  it("takes a provider's model without width and height (its sizes are its own, §4.2 †): a 1024 px square; a runware model still needs them", async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const provider = imageTask({ model: 'openai:1@1', width: undefined, height: undefined });
    const runware = imageTask({ width: undefined, height: undefined });
    client.send([provider, runware]);
    const { data, errors } = await client.results(String(provider['taskUUID']));
    expect(errors).toEqual([]);
    expect(data[0]).toMatchObject({ imageUUID: expect.any(String) });
    expect((await client.results(String(runware['taskUUID']))).errors).toEqual([expect.objectContaining({ code: 'missingWidth', parameter: 'width' })]);
  });

  it('lets width and height win over resolution, and rejects an unknown resolution with its allowed values', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const sized = imageTask({ resolution: '1k' });
    const unknown = imageTask({ width: undefined, height: undefined, resolution: '8k' });
    client.send([sized, unknown]);
    expect((await client.results(String(sized['taskUUID']))).errors).toEqual([]);
    expect((await client.results(String(unknown['taskUUID']))).errors).toEqual([
      expect.objectContaining({ code: 'invalidResolution', parameter: 'resolution', allowedValues: ['1k', '2k', '4k'] }),
    ]);
  });

  it('defaults to a JPG URL and accepts lower-case formats', async () => {
    const simulator = await harness.start();
    const client = await harness.authed();
    const plain = imageTask();
    const lower = imageTask({ outputFormat: 'png' });
    client.send([plain, lower]);
    const [first] = (await client.results(String(plain['taskUUID']))).data;
    const [second] = (await client.results(String(lower['taskUUID']))).data;
    expect(first!['imageURL']).toBe(`${simulator.httpUrl}/media/${String(first!['imageUUID'])}.jpg`);
    expect(String(second!['imageURL'])).toMatch(/\.png$/);
    expect((await sharp(await imageBytes(first!, 'JPG')).metadata()).format).toBe('jpeg');
  });

  it('produces numberResults items with distinct UUIDs, incrementing seeds and a cost', async () => {
    await harness.start();
    const client = await harness.authed();
    const task = imageTask({ numberResults: 3, seed: 42, includeCost: true });
    client.send([task]);
    const { data } = await client.results(String(task['taskUUID']), 3);
    expect(data.map((item) => item['seed']).sort()).toEqual([42, 43, 44]);
    expect(new Set(data.map((item) => item['imageUUID'])).size).toBe(3);
    for (const item of data) expect(item['cost']).toEqual(expect.any(Number));
  });

  it('picks a random positive integer seed when none is given, and omits cost unless asked', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask();
    client.send([task]);
    const [item] = (await client.results(String(task['taskUUID']))).data;
    expect(Number.isInteger(item!['seed']) && Number(item!['seed']) > 0).toBe(true);
    expect(item).not.toHaveProperty('cost');
  });

  it('draws deterministically from prompt and seed', async () => {
    await harness.start();
    const client = await harness.authed();
    const same = { seed: 7, outputType: 'base64Data', outputFormat: 'PNG' };
    const tasks = [imageTask(same), imageTask(same), imageTask({ ...same, seed: 8 })];
    client.send(tasks);
    const bytes = await Promise.all(tasks.map(async (task) => (await client.results(String(task['taskUUID']))).data[0]!['imageBase64Data']));
    expect(bytes[0]).toBe(bytes[1]);
    expect(bytes[0]).not.toBe(bytes[2]);
  });

  it.each([
    { change: { width: 500 }, parameter: 'width', code: 'invalidWidth' },
    { change: { height: 4096 }, parameter: 'height', code: 'invalidHeight' },
    { change: { steps: 0 }, parameter: 'steps', code: 'invalidSteps' },
    { change: { numberResults: 21 }, parameter: 'numberResults', code: 'invalidNumberResults' },
    { change: { model: undefined }, parameter: 'model', code: 'missingModel' },
    { change: { model: 'not an air' }, parameter: 'model', code: 'invalidModel' },
    { change: { positivePrompt: 'x' }, parameter: 'positivePrompt', code: 'invalidPositivePromptLength' },
    { change: { CFGScale: 51 }, parameter: 'CFGScale', code: 'invalidCFGScale' },
    { change: { outputQuality: 100 }, parameter: 'outputQuality', code: 'invalidOutputQuality' },
    { change: { outputFormat: 'GIF' }, parameter: 'outputFormat', code: 'unsupportedOutputFormat' },
  ])('rejects $parameter ($code) with an error naming the parameter', async ({ change, parameter, code }) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask(change);
    client.send([task]);
    const { data, errors } = await client.results(String(task['taskUUID']));
    expect(data).toEqual([]);
    expect(errors[0]).toEqual({
      code,
      message: expect.any(String),
      parameter,
      type: expect.any(String),
      taskType: 'imageInference',
      taskUUID: task['taskUUID'],
      documentation: expect.stringContaining('https://runware.ai/docs/'),
      ...(parameter === 'outputFormat' ? { allowedValues: ['JPG', 'PNG', 'WEBP'] } : {}),
    });
  });

  it('fails only the bad task of a multi-task frame, each answered in a frame of its own', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const bad = imageTask({ width: 100 });
    const good = imageTask();
    client.send([bad, good]);
    await client.nextFrame(2);
    expect(client.frames.slice(1)).toEqual([
      { errors: [expect.objectContaining({ taskUUID: bad['taskUUID'], parameter: 'width' })] },
      { data: [expect.objectContaining({ taskUUID: good['taskUUID'], imageURL: expect.any(String) })] },
    ]);
  });

  it('answers a reused taskUUID with conflictTaskUUID', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask();
    client.send([task]);
    await client.results(String(task['taskUUID']));
    client.send([task]);
    const { errors } = await client.results(String(task['taskUUID']), 2);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'conflictTaskUUID', taskUUID: task['taskUUID'], taskType: 'imageInference' }),
    ]);
  });

  it('supports deliveryMethod "async": an ack, then the result through getResponse', async () => {
    await harness.start({ imageLatencyMs: 50 });
    const client = await harness.authed();
    const task = imageTask({ deliveryMethod: 'async', numberResults: 2, seed: 5 });
    const id = String(task['taskUUID']);
    client.send([task]);
    expect((await client.results(id)).data).toEqual([{ taskType: 'imageInference', taskUUID: id }]);
    const replies = await pollUntil(client, id, allSucceeded(2), { intervalMs: 20 });
    const done = replies.at(-1)!;
    expect(done.data).toEqual([
      expect.objectContaining({ taskType: 'imageInference', taskUUID: id, status: 'success', seed: 5, imageURL: expect.any(String) }),
      expect.objectContaining({ taskType: 'imageInference', taskUUID: id, status: 'success', seed: 6, imageURL: expect.any(String) }),
    ]);
  });

  it('answers getResponse for an unknown task with taskNotFound', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const id = taskUUID();
    client.send([{ taskType: 'getResponse', taskUUID: id }]);
    expect((await client.results(id)).errors).toEqual([
      expect.objectContaining({ code: 'taskNotFound', taskUUID: id, taskType: 'getResponse', parameter: 'taskUUID' }),
    ]);
  });
});
