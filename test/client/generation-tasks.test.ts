import { NodeIO } from '@gltf-transform/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../simulator/support/audio.js';
import { client, received, simulator } from '../support/simulator.js';
import { rejection } from '../support/rejection.js';

/*
 * The generation tasks of issue 12 through runware-rx against the simulator with real media:
 * each promise method resolves with results whose files decode as what was asked, and a request
 * the client refuses leaves the simulator without a single task of its type.
 */

const download = async (url: string | undefined): Promise<Buffer> => {
  if (url === undefined) throw new Error('the result has no URL');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
};

/** A blue picture with a yellow box. */
const picture = async (): Promise<Uint8Array> => {
  const box = await sharp({ create: { width: 24, height: 16, channels: 4, background: '#f0d010' } }).png().toBuffer();
  return new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 4, background: '#2050c0' } }).composite([{ input: box, left: 20, top: 16 }]).png().toBuffer());
};

describe('audioInference', () => {
  it('resolves with a file of the asked format and duration, decoded, and sums the cost', async () => {
    const runware = client(await simulator());
    const results = await runware.audioInference({ model: 'elevenlabs:1@1', positivePrompt: 'a short jingle', duration: 2, outputFormat: 'MP3', numberResults: 2, includeCost: true });
    expect(results).toHaveLength(2);
    for (const audio of results) {
      const decoded = await decodeAudio(await download(audio.audioURL));
      expect(decoded.format).toBe('MP3');
      expect(Math.abs(decoded.seconds - 2)).toBeLessThan(0.1);
    }
    expect(results.cost).toBeCloseTo(results.reduce((sum, audio) => sum + (audio.cost ?? 0), 0), 9);
    expect(results.cost).toBeGreaterThan(0);
  });

  it('is refused locally without a model, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).audio({ positivePrompt: 'x' } as never));
    expect(error).toMatchObject({ code: 'validation', parameter: 'model', sent: false });
    expect(received(sim, 'audioInference')).toBe(0);
  });
});

describe('textInference', () => {
  it('resolves with the reply, its finishReason and a usage that adds up; async delivery polls for the same', async () => {
    const runware = client(await simulator({ media: false }));
    const request = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'Name a colour.' }], seed: 3, includeUsage: true };
    const [reply] = await runware.textInference(request);
    expect(reply).toMatchObject({ taskType: 'textInference', finishReason: 'stop', text: expect.stringContaining('Name a colour.') });
    expect(reply!.usage!.promptTokens! + reply!.usage!.completionTokens!).toBe(reply!.usage!.totalTokens);
    const [polled] = await runware.text({ ...request, deliveryMethod: 'async' });
    expect(polled?.text).toBe(reply?.text);
  });

  it('is refused locally with a system message (the reference’s roles are user, assistant and tool), and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).textInference({ model: 'google:gemma@4-31b', messages: [{ role: 'system', content: 'x' }] } as never));
    expect(error).toMatchObject({ code: 'validation', sent: false });
    expect(received(sim, 'textInference')).toBe(0);
  });
});

describe('threeDInference', () => {
  it('resolves (polled by default) with a GLB that glTF-Transform reads, and inference3d is the same task', async () => {
    const runware = client(await simulator({ media: false }));
    const [model] = await runware.threeDInference({ model: 'runware:3d@1', positivePrompt: 'a teapot' });
    const document = await new NodeIO().readBinary(new Uint8Array(await download(model?.outputs.files[0]?.url)));
    expect(document.getRoot().listMeshes()).toHaveLength(1);
    const [pushed] = await runware.inference3d({ model: 'runware:3d@1', positivePrompt: 'a teapot', deliveryMethod: 'sync' });
    expect(pushed?.outputs.files[0]?.url).toMatch(/\.glb$/);
  });
});

describe('the image tools of issue 12', () => {
  it('vectorize: an SVG that renders at the input’s size', async () => {
    const runware = client(await simulator());
    const [svg] = await runware.vectorize({ inputs: { image: await picture() } });
    expect(await sharp(await download(svg?.imageURL)).metadata()).toMatchObject({ format: 'svg', width: 64, height: 48 });
  });

  it('imageMasking: the box of the subject and a mask of the input’s size', async () => {
    const runware = client(await simulator());
    const [mask] = await runware.imageMasking({ model: 'runware:35@1', inputImage: await picture(), maskPadding: 0, maskBlur: 0 });
    expect(mask?.detections).toEqual([{ x_min: 20, y_min: 16, x_max: 43, y_max: 31 }]);
    expect(await sharp(await download(mask?.maskImageURL)).metadata()).toMatchObject({ width: 64, height: 48 });
  });

  it('controlNetPreprocess and its legacy name: a guide image of the input’s size', async () => {
    const runware = client(await simulator());
    for (const method of ['controlNetPreprocess', 'imageControlNetPreProcess'] as const) {
      const [guide] = await runware[method]({ inputImage: await picture(), preProcessorType: 'canny' });
      expect(await sharp(await download(guide?.guideImageURL)).metadata()).toMatchObject({ width: 64, height: 48 });
    }
  });

  it('photoMaker: images of the requested size', async () => {
    const runware = client(await simulator());
    const images = await runware.photoMaker({ model: 'civitai:139562@297320', inputImages: [await picture()], positivePrompt: 'a portrait', width: 256, height: 192, numberResults: 2 });
    expect(images).toHaveLength(2);
    for (const image of images) expect(await sharp(await download(image.imageURL)).metadata()).toMatchObject({ width: 256, height: 192 });
  });

  it('are refused locally when a required field is missing, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    expect(await rejection(runware.photoMaker({ model: 'civitai:1@1', inputImages: ['https://example.com/a.png'], positivePrompt: 'x', height: 256 } as never))).toMatchObject({ parameter: 'width', sent: false });
    expect(await rejection(runware.imageMasking({ inputImage: 'https://example.com/a.png' } as never))).toMatchObject({ parameter: 'model', sent: false });
    expect(await rejection(runware.controlNetPreprocess({ inputImage: 'https://example.com/a.png', lowThresholdCanny: 200, highThresholdCanny: 100 }))).toMatchObject({ sent: false });
    expect(received(sim, 'photoMaker') + received(sim, 'imageMasking') + received(sim, 'controlNetPreprocess')).toBe(0);
  });
});

describe('the video tools', () => {
  it('videoUpscale, videoBackgroundRemoval and videoCaption of a generated video: polled, real MP4s and a caption', async () => {
    const runware = client(await simulator({ videoReadyAfterMs: 50 }));
    const [video] = await runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'a kite over a beach', duration: 5, width: 320, height: 240 });
    const input = { video: video!.videoUUID! };
    const [upscaled] = await runware.videoUpscale({ inputs: input, upscaleFactor: 2 });
    expect((await download(upscaled?.videoURL)).toString('latin1', 4, 8)).toBe('ftyp');
    const [cutOut] = await runware.videoBackgroundRemoval({ inputs: input });
    expect(cutOut?.videoURL).toMatch(/\.mp4$/);
    const [described] = await runware.videoCaption({ inputs: input });
    expect(described?.text).toMatch(/^A 2\.0-second 320×240 landscape video at 12 fps\./);
  });

  it('refuse sync delivery locally, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const error = await rejection(client(sim).videoCaption({ inputs: { video: 'https://example.com/v.mp4' }, deliveryMethod: 'sync' } as never));
    expect(error).toMatchObject({ code: 'validation', parameter: 'deliveryMethod', sent: false });
    expect(received(sim, 'caption')).toBe(0);
  });
});
