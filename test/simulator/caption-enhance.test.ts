import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enhancedPrompts } from '../../src/simulator/tasks/prompt-enhance.js';
import { useSimulator } from './support/harness.js';
import { dataUri, solid, solidWithBox } from './support/media.js';
import { allSucceeded, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID), count)) };
};

describe('simulator: caption', () => {
  const harness = useSimulator();

  it('describes its input deterministically: size, orientation, dominant colours, brightness', async () => {
    await harness.start();
    const client = await harness.authed();
    const image = dataUri(await solidWithBox({ width: 60, height: 40 }, '#1030c0', { left: 0, top: 0, width: 12, height: 40, colour: '#f8f8f8' }));
    const first = await run(client, { taskType: 'caption', inputImage: image, model: 'runware:150@2' });
    const second = await run(client, { taskType: 'caption', inputs: { image } });
    expect(first.data[0]).toEqual({ taskType: 'caption', taskUUID: first.task.taskUUID, text: expect.any(String) });
    const text = String(first.data[0]!['text']);
    expect(text).toBe(second.data[0]!['text']);
    expect(text).toMatch(/^A 60×40 landscape image, mostly blue \(\d+%\) with white; /);
    const dark = await run(client, { taskType: 'caption', inputImage: dataUri(await solid(30, 50, '#101010')) });
    expect(dark.data[0]!['text']).toBe('A 30×50 portrait image, mostly black (100%); dark, flat contrast.');
  });

  it('answers the legacy imageCaption, with inputImages and a prompt, with that taskType', async () => {
    await harness.start();
    const client = await harness.authed();
    const images = [dataUri(await solid(8, 8, '#ff0000')), dataUri(await solid(16, 8, '#00ff00'))];
    const { data } = await run(client, { taskType: 'imageCaption', inputImages: images, prompt: 'What colour is it?', includeCost: true });
    expect(data[0]).toMatchObject({ taskType: 'imageCaption', cost: expect.any(Number) });
    expect(data[0]!['text']).toBe(
      'Image 1: A 8×8 square image, mostly red (100%); dark, flat contrast. Image 2: A 16×8 landscape image, mostly green (100%); bright, flat contrast. Asked: "What colour is it?".',
    );
  });

  it('describes the deterministic stand-in of an external URL, the same for the same URL', async () => {
    await harness.start();
    const client = await harness.authed();
    const caption = async (url: string) => String((await run(client, { taskType: 'caption', inputImage: url })).data[0]!['text']);
    const cat = await caption('https://example.com/cat.png');
    expect(cat).toMatch(/^A 512×512 square image, mostly /);
    expect(await caption('https://example.com/cat.png')).toBe(cat);
    expect(await caption('https://example.com/dog.png')).not.toBe(cat);
  });

  it('supports async delivery and rejects bad inputs with API errors', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const png = await solid(4, 4, '#000');
    const { task, data } = await run(client, { taskType: 'caption', inputImage: dataUri(png), deliveryMethod: 'async' });
    expect(data).toEqual([{ taskType: 'caption', taskUUID: task.taskUUID }]);
    const done = (await pollUntil(client, task.taskUUID, allSucceeded(1), { intervalMs: 20 })).at(-1)!;
    expect(done.data?.[0]).toMatchObject({ status: 'success', text: `A PNG image of ${png.length} bytes.` });
    for (const [change, code, parameter] of [
      [{ inputImage: undefined }, 'missingInputImage', 'inputImage'],
      [{ inputImages: [] }, 'invalidInputImages', 'inputImages'],
      [{ inputImages: ['00000000-0000-4000-8000-000000000000'] }, 'mediaNotFound', 'inputImages[0]'],
      [{ prompt: 7 }, 'invalidPrompt', 'prompt'],
      [{ inputImage: undefined, inputs: { video: 'https://example.com/clip.mp4' } }, 'unsupportedParameter', 'inputs.video'],
    ] as const) {
      const { errors } = await run(client, { taskType: 'caption', inputImage: dataUri(await solid(4, 4, '#000')), ...(change as Record<string, unknown>) });
      expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'caption' })]);
    }
  });
});

describe('simulator: promptEnhance', () => {
  const harness = useSimulator();

  it('works without promptMaxLength or promptVersions: one non-empty text within 380 characters', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, data } = await run(client, { taskType: 'promptEnhance', prompt: 'a lighthouse at night' });
    expect(data).toEqual([{ taskType: 'promptEnhance', taskUUID: task.taskUUID, text: expect.stringMatching(/^a lighthouse at night, \S/) }]);
    expect(String(data[0]!['text']).length).toBeLessThanOrEqual(380);
  });

  it.each([
    [1, 380],
    [3, 40],
    [5, 12],
    [5, 4],
    [2, 400],
  ])('answers %i versions within %i characters, all different, the same on every run', async (versions, max) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const ask = async () => {
      const { data } = await run(client, { taskType: 'promptEnhance', prompt: 'a red fox in fresh snow', promptVersions: versions, promptMaxLength: max, includeCost: true }, versions);
      return data;
    };
    const items = await ask();
    expect(items).toHaveLength(versions);
    const texts = items.map((item) => String(item['text']));
    for (const item of items) expect(item).toMatchObject({ taskType: 'promptEnhance', cost: expect.any(Number) });
    for (const text of texts) expect(text.length).toBeGreaterThan(0);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(max);
    expect(new Set(texts).size).toBe(versions);
    expect((await ask()).map((item) => item['text'])).toEqual(texts);
  });

  it('keeps its promises for any prompt and limits (fast-check, 2000 cases)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.integer({ min: 4, max: 400 }), fc.integer({ min: 1, max: 5 }), (prompt, max, versions) => {
        const texts = enhancedPrompts(prompt, max, versions);
        return (
          texts.length === versions &&
          texts.every((text) => text.length >= 1 && text.length <= max) &&
          new Set(texts).size === versions &&
          JSON.stringify(enhancedPrompts(prompt, max, versions)) === JSON.stringify(texts)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('delivers every version through getResponse with deliveryMethod "async"', async () => {
    await harness.start({ media: false, imageLatencyMs: 20 });
    const client = await harness.authed();
    const { task, data } = await run(client, { taskType: 'promptEnhance', prompt: 'dog', promptVersions: 3, deliveryMethod: 'async' });
    expect(data).toEqual([{ taskType: 'promptEnhance', taskUUID: task.taskUUID }]);
    const done = (await pollUntil(client, task.taskUUID, allSucceeded(3), { intervalMs: 20 })).at(-1)!;
    expect(done.data?.map((item) => item['status'])).toEqual(['success', 'success', 'success']);
  });

  it.each([
    [{ prompt: undefined }, 'missingPrompt', 'prompt'],
    [{ prompt: '' }, 'invalidPromptLength', 'prompt'],
    [{ prompt: 'x'.repeat(301) }, 'invalidPromptLength', 'prompt'],
    [{ promptMaxLength: 3 }, 'invalidPromptMaxLength', 'promptMaxLength'],
    [{ promptMaxLength: 401 }, 'invalidPromptMaxLength', 'promptMaxLength'],
    [{ promptVersions: 0 }, 'invalidPromptVersions', 'promptVersions'],
    [{ promptVersions: 6 }, 'invalidPromptVersions', 'promptVersions'],
    [{ deliveryMethod: 'stream' }, 'invalidDeliveryMethod', 'deliveryMethod'],
  ])('rejects %j with %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { data, errors } = await run(client, { taskType: 'promptEnhance', prompt: 'a cat', ...change });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'promptEnhance' })]);
  });
});
