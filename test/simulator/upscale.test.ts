import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, pixelsOf, solid, solidWithBox } from './support/media.js';
import { allSucceeded, imageTask, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

/** Sends one task (a fresh taskUUID) and resolves with its items. */
const run = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID), count)) };
};

const upload = async (client: RawClient, bytes: Buffer): Promise<string> => {
  const { data } = await run(client, { taskType: 'imageUpload', image: dataUri(bytes) });
  return String(data[0]!['imageUUID']);
};

describe('simulator: upscale', () => {
  const harness = useSimulator();
  const INPUT = { width: 40, height: 30 };

  it.each([2, 3, 4])('resizes the input to exactly %i× its size, as a decodable image of the input', async (factor) => {
    await harness.start();
    const client = await harness.authed();
    const input = await solidWithBox(INPUT, '#2050c0', { left: 10, top: 10, width: 20, height: 10, colour: '#f0d010' });
    const { task, data, errors } = await run(client, { taskType: 'upscale', inputImage: dataUri(input), upscaleFactor: factor, outputFormat: 'PNG' });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({
      taskType: 'upscale',
      taskUUID: task.taskUUID,
      imageUUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      inputImageUUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      imageURL: expect.stringMatching(/\.png$/),
    });
    const output = await pixelsOf(await outputBytes(data[0]!));
    expect({ width: output.width, height: output.height }).toEqual({ width: 40 * factor, height: 30 * factor });
    // The picture is the input's: the box is yellow, the corner blue, at the scaled positions.
    const at = (x: number, y: number) => [...output.data.subarray(4 * (y * output.width + x), 4 * (y * output.width + x) + 3)];
    expect(at(20 * factor, 15 * factor)).toEqual([0xf0, 0xd0, 0x10]);
    expect(at(2, 2)).toEqual([0x20, 0x50, 0xc0]);
  });

  it('takes the input as base64, a UUID, inputs.image or a URL of the simulator, and answers as each outputType asks', async () => {
    const simulator = await harness.start();
    const client = await harness.authed();
    const input = await solid(24, 16, '#a03050');
    const uuid = await upload(client, input);
    const url = `${simulator.httpUrl}/media/${uuid}.png`;
    const cases = [
      { inputImage: input.toString('base64'), outputType: 'base64Data' },
      { inputImage: uuid, outputType: 'dataURI', outputFormat: 'WEBP' },
      { inputs: { image: uuid }, outputType: 'URL' },
      { inputImage: url, outputFormat: 'JPG' },
    ];
    for (const fields of cases) {
      const { data, errors } = await run(client, { taskType: 'upscale', upscaleFactor: 2, ...fields });
      expect(errors).toEqual([]);
      const metadata = await sharp(await outputBytes(data[0]!)).metadata();
      expect([metadata.width, metadata.height]).toEqual([48, 32]);
      if (fields.inputImage !== input.toString('base64')) expect(data[0]!['inputImageUUID']).toBe(uuid);
    }
  });

  it('chains: the output UUID and the inputImageUUID of a base64 input are inputs of later tasks', async () => {
    await harness.start();
    const client = await harness.authed();
    const first = await run(client, { taskType: 'upscale', inputImage: (await solid(10, 8, '#123456')).toString('base64'), upscaleFactor: 2 });
    const again = await run(client, { taskType: 'upscale', inputImage: first.data[0]!['imageUUID'], upscaleFactor: 3 });
    expect((await sharp(await outputBytes(again.data[0]!)).metadata()).width).toBe(60);
    const original = await run(client, { taskType: 'upscale', inputImage: first.data[0]!['inputImageUUID'], upscaleFactor: 4 });
    expect((await sharp(await outputBytes(original.data[0]!)).metadata()).width).toBe(40);
  });

  it('upscales an imageInference result given by its imageUUID or its imageURL', async () => {
    await harness.start();
    const client = await harness.authed();
    const generated = await run(client, imageTask({ width: 256, height: 128, outputFormat: 'PNG' }));
    for (const inputImage of [generated.data[0]!['imageUUID'], generated.data[0]!['imageURL']]) {
      const { data } = await run(client, { taskType: 'upscale', inputImage, upscaleFactor: 2 });
      expect(await sharp(await outputBytes(data[0]!)).metadata()).toMatchObject({ width: 512, height: 256, format: 'jpeg' });
      expect(data[0]!['inputImageUUID']).toBe(generated.data[0]!['imageUUID']);
    }
  });

  it('accepts the legacy wire name imageUpscale and answers with that taskType, with a cost when asked', async () => {
    await harness.start();
    const client = await harness.authed();
    const { data } = await run(client, { taskType: 'imageUpscale', inputImage: dataUri(await solid(8, 8, '#fff')), upscaleFactor: 2, includeCost: true, deliveryMethod: 'sync' });
    expect(data[0]).toMatchObject({ taskType: 'imageUpscale', cost: expect.any(Number) });
    expect(Number(data[0]!['cost'])).toBeGreaterThan(0);
  });

  it('supports deliveryMethod "async": an ack, then the result through getResponse', async () => {
    await harness.start({ imageLatencyMs: 30 });
    const client = await harness.authed();
    const { task, data } = await run(client, { taskType: 'upscale', inputImage: dataUri(await solid(12, 6, '#0a0')), upscaleFactor: 4, deliveryMethod: 'async' });
    expect(data).toEqual([{ taskType: 'upscale', taskUUID: task.taskUUID }]);
    const replies = await pollUntil(client, task.taskUUID, allSucceeded(1), { intervalMs: 20 });
    const done = replies.at(-1)!.data![0]!;
    expect(done).toMatchObject({ status: 'success', taskType: 'upscale', imageUUID: expect.any(String) });
    expect((await sharp(await outputBytes(done)).metadata()).width).toBe(48);
  });

  it('delivers under the realistic profile (one frame per result) and honours injected item failures', async () => {
    const simulator = await harness.start({ profile: 'realistic' });
    const client = await harness.authed();
    const input = dataUri(await solid(8, 8, '#00f'));
    const ok = await run(client, { taskType: 'upscale', inputImage: input, upscaleFactor: 2 });
    expect(ok.data).toHaveLength(1);
    simulator.faults.failNextItems(1);
    const failed = await run(client, { taskType: 'upscale', inputImage: input, upscaleFactor: 2 });
    expect(failed.errors).toEqual([expect.objectContaining({ code: 'timeoutProvider', taskType: 'upscale', taskUUID: failed.task.taskUUID })]);
  });

  it.each([
    [{ upscaleFactor: undefined }, 'missingUpscaleFactor', 'upscaleFactor'],
    [{ upscaleFactor: 1 }, 'invalidUpscaleFactor', 'upscaleFactor'],
    [{ upscaleFactor: 5 }, 'invalidUpscaleFactor', 'upscaleFactor'],
    [{ upscaleFactor: 2.5 }, 'invalidUpscaleFactor', 'upscaleFactor'],
    [{ inputImage: undefined }, 'missingInputImage', 'inputImage'],
    [{ inputImage: 'not base64!' }, 'invalidInputImage', 'inputImage'],
    [{ inputImage: Buffer.from('just some text, no image').toString('base64') }, 'invalidInputImage', 'inputImage'],
    [{ inputImage: 42 }, 'invalidInputImage', 'inputImage'],
    [{ inputImage: 'data:image/png,raw' }, 'invalidInputImage', 'inputImage'],
    [{ inputImage: 'https://[::1' }, 'invalidInputImage', 'inputImage'],
    [{ inputImage: '00000000-0000-4000-8000-000000000000' }, 'mediaNotFound', 'inputImage'],
    [{ inputImage: undefined, inputs: { image: 'c0ffee00-0000-4000-8000-000000000000' } }, 'mediaNotFound', 'inputs.image'],
    [{ inputImage: undefined, inputs: { video: 'https://example.com/v.mp4' } }, 'unsupportedParameter', 'inputs.video'],
    [{ outputFormat: 'GIF' }, 'unsupportedOutputFormat', 'outputFormat'],
    [{ model: 'nonexistent:999@999' }, 'modelNotFound', 'model'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const fields = { taskType: 'upscale', inputImage: dataUri(await solid(4, 4, '#000')), upscaleFactor: 2, ...change };
    const { task, data, errors } = await run(client, fields);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'upscale', taskUUID: task.taskUUID, message: expect.any(String), type: expect.any(String) })]);
    // Not remembered: the same taskUUID, fixed, runs.
    client.send([{ ...task, ...fields, upscaleFactor: 2, inputImage: dataUri(await solid(4, 4, '#000')), inputs: undefined, outputFormat: undefined, model: undefined }]);
    expect((await client.results(String(task.taskUUID), 2)).data).toHaveLength(1);
  });

  it('refuses an output above 16 megapixels (invalidUpscaleFactor), found once the input is decoded', async () => {
    await harness.start();
    const client = await harness.authed();
    const { errors } = await run(client, { taskType: 'upscale', inputImage: dataUri(await solid(2100, 2100, '#777')), upscaleFactor: 2 });
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidUpscaleFactor', parameter: 'upscaleFactor', message: expect.stringContaining('4200×4200') })]);
  });

  it('answers bytes that sniff as an image but do not decode with invalidInputImage', async () => {
    await harness.start();
    const client = await harness.authed();
    const png = await solid(16, 16, '#333');
    const truncated = Buffer.concat([png.subarray(0, 30)]);
    const { errors } = await run(client, { taskType: 'upscale', inputImage: truncated.toString('base64'), upscaleFactor: 2 });
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidInputImage', parameter: 'inputImage', message: expect.stringContaining('could not be decoded') })]);
  });

  it('in fast mode answers with the placeholder of the output format, and still keeps the input', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const generated = await run(client, imageTask());
    const { data, errors } = await run(client, { taskType: 'upscale', inputImage: generated.data[0]!['imageUUID'], upscaleFactor: 2, outputFormat: 'PNG' });
    expect(errors).toEqual([]);
    expect(String(data[0]!['imageURL'])).toMatch(/placeholder\.png$/);
    expect(data[0]!['inputImageUUID']).toBe(generated.data[0]!['imageUUID']);
  });
});
