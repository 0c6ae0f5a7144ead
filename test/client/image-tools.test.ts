import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { fromFile } from 'runware-rx/node';
import { client, received, simulator } from '../support/simulator.js';
import { rejection } from '../support/rejection.js';

/*
 * The image tools and uploads through runware-rx, against the simulator with real media: what
 * comes back is decoded and checked against what went in, and a request the client refuses
 * leaves the simulator without a single task.
 */

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A blue picture with a yellow box: the subject the background tools must keep. */
const BOX = { left: 16, top: 12, width: 24, height: 16 };
const picture = async (format: 'png' | 'jpeg' = 'png'): Promise<Buffer> => {
  const subject = await sharp({ create: { width: BOX.width, height: BOX.height, channels: 4, background: '#f0d010' } }).png().toBuffer();
  const canvas = sharp({ create: { width: 56, height: 40, channels: 4, background: '#2050c0' } }).composite([{ input: subject, left: BOX.left, top: BOX.top }]);
  return format === 'png' ? canvas.png().toBuffer() : canvas.jpeg({ quality: 95 }).toBuffer();
};

const download = async (url: string | undefined): Promise<Buffer> => {
  if (url === undefined) throw new Error('the result has no URL');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
};

const savedPicture = async (name: string): Promise<string> => {
  const folder = await mkdtemp(join(tmpdir(), 'runware-tools-'));
  folders.push(folder);
  const path = join(folder, name);
  await writeFile(path, await picture('jpeg'));
  return path;
};

/** The alpha channel at (x, y). */
const alphaAt = async (bytes: Buffer, x: number, y: number): Promise<number> => {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return data[(y * info.width + x) * info.channels + 3]!;
};

describe('upscale', () => {
  it('returns the input, given as bytes, at exactly upscaleFactor times its size', async () => {
    const runware = client(await simulator());
    const [image] = await runware.upscale({ inputImage: new Uint8Array(await picture()), upscaleFactor: 3, outputFormat: 'PNG' });
    const output = await sharp(await download(image?.imageURL)).metadata();
    expect([output.width, output.height]).toEqual([56 * 3, 40 * 3]);
  });

  it('is refused locally with a factor out of range, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).upscale({ inputImage: 'https://example.com/a.png', upscaleFactor: 9 }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'upscaleFactor', sent: false });
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('removeBackground', () => {
  it('keeps the subject of a local JPEG opaque and makes its background transparent', async () => {
    const runware = client(await simulator());
    const [image] = await runware.removeBackground({ inputImage: fromFile(await savedPicture('box.jpg')), outputFormat: 'PNG' });
    const bytes = await download(image?.imageURL);
    expect((await sharp(bytes).metadata()).format).toBe('png');
    expect(await alphaAt(bytes, 2, 2)).toBe(0);
    expect(await alphaAt(bytes, BOX.left + BOX.width / 2, BOX.top + BOX.height / 2)).toBe(255);
  });

  it('is refused locally without an input, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).removeBackground({ outputFormat: 'PNG' }));
    expect(error).toMatchObject({ code: 'validation', sent: false });
    expect(error.message).toContain('inputImage');
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('caption', () => {
  it('describes its input, the same way every time', async () => {
    const runware = client(await simulator());
    const inputImage = new Uint8Array(await picture());
    const [first] = await runware.caption({ inputImage });
    const [second] = await runware.imageCaption({ inputImage });
    expect(first?.text).toEqual(expect.any(String));
    expect(first?.text?.length).toBeGreaterThan(10);
    expect(second?.text).toBe(first?.text);
  });

  it('is refused locally with an input that is not media, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).caption({ inputImage: 'file:///etc/passwd' }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('promptEnhance', () => {
  it('returns promptVersions texts, each within promptMaxLength', async () => {
    const runware = client(await simulator({ media: false }));
    const versions = await runware.promptEnhance({ prompt: 'a lighthouse at dusk', promptVersions: 3, promptMaxLength: 120 });
    expect(versions).toHaveLength(3);
    expect(new Set(versions.map((version) => version.text)).size).toBe(3);
    for (const version of versions) expect(version.text.length).toBeLessThanOrEqual(120);
  });

  it('is refused locally without a prompt, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).enhancePrompt({ promptVersions: 2 } as never));
    expect(error).toMatchObject({ code: 'validation', parameter: 'prompt', sent: false });
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('imageUpload and mediaStorage', () => {
  it('keep the bytes, serve them by URL, and their UUIDs are inputs to later tasks', async () => {
    const runware = client(await simulator());
    const bytes = await picture();
    const [uploaded] = await runware.imageUpload({ image: new Uint8Array(bytes) });
    expect(await download(uploaded?.imageURL)).toEqual(bytes);
    const [stored] = await runware.mediaStorage({ media: new Uint8Array(bytes) });
    expect(await download(stored?.mediaURL)).toEqual(bytes);

    for (const inputImage of [uploaded!.imageUUID, stored!.mediaUUID]) {
      const [image] = await runware.upscale({ inputImage, upscaleFactor: 2 });
      const output = await sharp(await download(image?.imageURL)).metadata();
      expect([output.width, output.height]).toEqual([112, 80]);
    }
  });

  it('are refused locally with a scheme that is not media, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    expect(await rejection(runware.uploadImage({ image: 'ftp://example.com/a.png' }))).toMatchObject({ parameter: 'image', sent: false });
    expect(await rejection(runware.uploadMedia({ media: 'ftp://example.com/a.png' }))).toMatchObject({ parameter: 'media', sent: false });
    expect(received(sim, 'imageUpload') + received(sim, 'mediaStorage')).toBe(0);
  });
});
