import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { fromFile } from 'runware-rx/node';
import { client, simulator } from '../support/simulator.js';

/*
 * The patterns of the Runware Python guide, written in TypeScript as a user would write them,
 * against the simulator with real media (issue 11's acceptance).
 */

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

const metadataOf = async (url: string | undefined) => {
  if (url === undefined) throw new Error('the result has no URL');
  const response = await fetch(url);
  return sharp(Buffer.from(await response.arrayBuffer())).metadata();
};

describe('the Python guide, in TypeScript', () => {
  it('generates, upscales by 4 and removes the background of a local file in one Promise.all', async () => {
    const runware = client(await simulator());
    const folder = await mkdtemp(join(tmpdir(), 'runware-guide-'));
    folders.push(folder);
    const photo = join(folder, 'photo.jpg');
    await writeFile(photo, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#30a050' } }).jpeg().toBuffer());
    const inputImage = 'data:image/png;base64,' + (await sharp({ create: { width: 32, height: 24, channels: 4, background: '#c04020' } }).png().toBuffer()).toString('base64');

    const [images, upscaled, cutOut] = await Promise.all([
      runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 }),
      runware.imageUpscale({ inputImage, upscaleFactor: 4 }),
      runware.imageBackgroundRemoval({ inputImage: fromFile(photo), outputFormat: 'PNG' }),
    ]);

    expect(images).toHaveLength(1);
    expect(await metadataOf(images[0]?.imageURL)).toMatchObject({ width: 512, height: 512 });
    expect(await metadataOf(upscaled[0]?.imageURL)).toMatchObject({ width: 128, height: 96 });
    expect(await metadataOf(cutOut[0]?.imageURL)).toMatchObject({ width: 64, height: 48, format: 'png', hasAlpha: true });
  });

  it('upscales the first generated image by its URL', async () => {
    const runware = client(await simulator());
    const [first] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a red bicycle', width: 256, height: 320, numberResults: 2 });
    const [upscaled] = await runware.upscale({ inputImage: first!.imageURL!, upscaleFactor: 2 });
    expect(await metadataOf(upscaled?.imageURL)).toMatchObject({ width: 512, height: 640 });
  });

  it('captions an image and enhances a prompt', async () => {
    const runware = client(await simulator());
    const [image] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a quiet harbour', width: 256, height: 256 });
    const [caption] = await runware.imageCaption({ inputImage: image!.imageUUID });
    expect(caption?.text).toMatch(/\w+/);
    const prompts = await runware.enhancePrompt({ prompt: 'a quiet harbour', promptVersions: 2, promptMaxLength: 200 });
    expect(prompts.map((prompt) => prompt.text.length <= 200)).toEqual([true, true]);
  });
});
