import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, pixelsOf, solidWithBox } from './support/media.js';
import { allSucceeded, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskType: 'controlNetPreprocess', taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

const BOX = { left: 30, top: 20, width: 40, height: 30 };
const input = () => solidWithBox({ width: 100, height: 70 }, '#101010', { ...BOX, colour: '#f0f0f0' });

describe('simulator: controlNetPreprocess', () => {
  const harness = useSimulator();

  it('answers the placeholder under the guide field names in fast mode', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, { inputImage: 'https://example.com/a.png', preProcessorType: 'canny', outputType: 'dataURI' });
    expect(errors).toEqual([]);
    expect(Object.keys(data[0]!).filter((key) => key.startsWith('guideImage')).sort()).toEqual(['guideImageDataURI', 'guideImageUUID']);
    expect(String(data[0]!.guideImageDataURI)).toMatch(/^data:image\/png;base64,/);
  });

  it('canny: white on the input’s boundaries, black inside flat areas, at the input’s size', async () => {
    await harness.start();
    const client = await harness.authed();
    const { task, data, errors } = await run(client, { inputImage: dataUri(await input()), preProcessorType: 'canny', includeCost: true });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({ taskType: 'controlNetPreprocess', taskUUID: task.taskUUID, inputImageUUID: expect.any(String), guideImageUUID: expect.any(String), guideImageURL: expect.stringMatching(/\.png$/), cost: expect.any(Number) });
    const guide = await pixelsOf(await outputBytes(data[0]!, 'guideImage'));
    expect([guide.width, guide.height]).toEqual([100, 70]);
    const at = (x: number, y: number) => guide.data[4 * (y * guide.width + x)];
    expect(at(BOX.left, 35)).toBe(255); // the box's left edge
    expect(at(50, BOX.top)).toBe(255); // its top edge
    expect(at(50, 35)).toBe(0); // inside the box
    expect(at(5, 5)).toBe(0); // the flat ground
  });

  it.each(['depth', 'normalbae', 'openpose', 'seg', 'tile', 'shuffle', 'lineart', 'softedge', 'scribble', 'mlsd', 'lineart_anime'])('%s: a guide image of the input’s size, not a copy of the input', async (preProcessorType) => {
    await harness.start();
    const client = await harness.authed();
    const source = await input();
    const { data, errors } = await run(client, { inputImage: dataUri(source), preProcessorType, includeHandsAndFaceOpenPose: true });
    expect(errors).toEqual([]);
    const bytes = await outputBytes(data[0]!, 'guideImage');
    const guide = await pixelsOf(bytes);
    expect([guide.width, guide.height]).toEqual([100, 70]);
    expect(bytes.equals(source)).toBe(false);
  });

  it('depth is bright near (at the bottom) and openpose draws on black around the subject', async () => {
    await harness.start();
    const client = await harness.authed();
    const depth = await pixelsOf(await outputBytes((await run(client, { inputImage: dataUri(await input()), preProcessorType: 'depth' })).data[0]!, 'guideImage'));
    expect(depth.data[4 * (68 * 100 + 5)]!).toBeGreaterThan(depth.data[4 * (1 * 100 + 5)]!);
    const pose = await pixelsOf(await outputBytes((await run(client, { inputImage: dataUri(await input()), preProcessorType: 'openpose' })).data[0]!, 'guideImage'));
    expect([...pose.data.subarray(0, 3)]).toEqual([0, 0, 0]);
    const lit = [...Array(100 * 70).keys()].filter((p) => pose.data[4 * p]! + pose.data[4 * p + 1]! + pose.data[4 * p + 2]! > 0);
    expect(lit.every((p) => p % 100 >= BOX.left - 3 && p % 100 <= BOX.left + BOX.width + 3)).toBe(true);
  });

  it('downscales to width/height keeping the aspect ratio, never upscales, and takes the preprocessor from a model', async () => {
    await harness.start();
    const client = await harness.authed();
    const small = await run(client, { inputs: { image: dataUri(await input()) }, model: 'runware:controlnet-preprocess@lineart', width: 64 });
    expect(await pixelsOf(await outputBytes(small.data[0]!, 'guideImage'))).toMatchObject({ width: 64, height: 45 });
    const same = await run(client, { inputImage: dataUri(await input()), preProcessorType: 'canny', width: 400, height: 400 });
    expect(await pixelsOf(await outputBytes(same.data[0]!, 'guideImage'))).toMatchObject({ width: 100, height: 70 });
  });

  it('answers the legacy name imageControlNetPreProcess as js-legacy sends it (async, then polled)', async () => {
    await harness.start({ imageLatencyMs: 10 });
    const client = await harness.authed();
    const { task, data } = await run(client, { taskType: 'imageControlNetPreProcess', inputImage: dataUri(await input()), preProcessorType: 'canny', deliveryMethod: 'async' });
    expect(data).toEqual([{ taskType: 'imageControlNetPreProcess', taskUUID: task.taskUUID }]);
    const replies = await pollUntil(client, task.taskUUID, allSucceeded(1), { intervalMs: 10 });
    expect(replies.at(-1)!.data![0]).toMatchObject({ taskType: 'imageControlNetPreProcess', status: 'success', guideImageUUID: expect.any(String) });
  });

  it.each([
    [{ preProcessorType: undefined }, 'missingPreProcessorType', 'preProcessorType'],
    [{ preProcessorType: 'sketch' }, 'invalidPreProcessorType', 'preProcessorType'],
    [{ lowThresholdCanny: 200, highThresholdCanny: 100 }, 'invalidLowThresholdCanny', 'lowThresholdCanny'],
    [{ highThresholdCanny: 300 }, 'invalidHighThresholdCanny', 'highThresholdCanny'],
    [{ width: 10 }, 'invalidWidth', 'width'],
    [{ includeHandsAndFaceOpenPose: 'yes' }, 'invalidIncludeHandsAndFaceOpenPose', 'includeHandsAndFaceOpenPose'],
    [{ inputImage: undefined }, 'missingInputImage', 'inputImage'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, { inputImage: 'https://example.com/a.png', preProcessorType: 'canny', ...change });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'controlNetPreprocess' })]);
  });
});
