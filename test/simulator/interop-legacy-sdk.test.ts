import { RunwareServer } from '@runware/sdk-js';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, inBox, outputBytes, pixelsOf, solid, solidWithBox } from './support/media.js';

/**
 * The official legacy SDK speaks the protocol independently of our code, so a round trip with it
 * checks the simulator against a client we did not write. In Node its `Runware` export is
 * `RunwareServer`, which dials `url` (plus `?sdk=js&version=…`) with `ws` in its constructor.
 */
describe('simulator: interop with @runware/sdk-js 1.3.2', () => {
  const harness = useSimulator();

  it('completes a requestImages round trip and returns a fetchable image URL', async () => {
    const simulator = await harness.start({ apiKey: 'legacy-key' });
    const runware = new RunwareServer({ apiKey: 'legacy-key', url: simulator.url, shouldReconnect: false });
    try {
      const images = await runware.requestImages({
        positivePrompt: 'a red fox in fresh snow',
        model: 'runware:101@1',
        width: 512,
        height: 320,
        numberResults: 2,
        outputFormat: 'PNG',
      });
      expect(images).toHaveLength(2);
      for (const image of images ?? []) {
        expect(image.imageURL).toMatch(new RegExp(`^${simulator.httpUrl}/media/.+\\.png$`));
        const bytes = Buffer.from(await (await fetch(image.imageURL!)).arrayBuffer());
        expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 512, height: 320 });
      }
      expect(simulator.stats().tasksReceived).toMatchObject({ authentication: 1, imageInference: 1 });
    } finally {
      await runware.disconnect();
    }
  });

  it('completes a videoInference round trip (ack, then getResponse polling every 2 s)', async () => {
    const simulator = await harness.start({ videoReadyAfterMs: 200 });
    const runware = new RunwareServer({ apiKey: 'any-key', url: simulator.url, shouldReconnect: false });
    try {
      const videos = await runware.videoInference({
        positivePrompt: 'a paper boat on a stream',
        model: 'klingai:5@3',
        duration: 5,
        width: 640,
        height: 360,
      });
      const [video] = Array.isArray(videos) ? videos : [];
      expect(video).toMatchObject({ status: 'success', videoURL: expect.stringMatching(/\.mp4$/) });
      const response = await fetch(String((video as { videoURL: string }).videoURL));
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(simulator.stats().tasksReceived['getResponse']).toBeGreaterThanOrEqual(1);
    } finally {
      await runware.disconnect();
    }
  });

  describe('the image tools and uploads, every method of sdk-js that has them', () => {
    /** A connected legacy client of a fresh simulator, disconnected after the test. */
    const legacy = async (options: Parameters<typeof harness.start>[0] = {}) => {
      const simulator = await harness.start(options);
      const runware = new RunwareServer({ apiKey: 'legacy-key', url: simulator.url, shouldReconnect: false });
      disconnect.push(() => runware.disconnect());
      return { simulator, runware };
    };
    const disconnect: (() => Promise<void>)[] = [];
    afterEach(async () => {
      await Promise.all(disconnect.splice(0).map((close) => close()));
    });

    it.each(['upscale', 'upscaleGan'] as const)('%s: upscales a data URI, a UUID and a URL by the factor', async (method) => {
      const { runware } = await legacy();
      const input = dataUri(await solid(20, 12, '#4080c0'));
      const first = await runware[method]({ inputImage: input, upscaleFactor: 2, outputFormat: 'PNG' } as never);
      expect(first).toMatchObject({ taskType: 'upscale', imageUUID: expect.any(String), inputImageUUID: expect.any(String), imageURL: expect.any(String) });
      expect(await sharp(await outputBytes(first as never)).metadata()).toMatchObject({ width: 40, height: 24, format: 'png' });
      const byUUID = await runware[method]({ inputImage: first.imageUUID, upscaleFactor: 3 } as never);
      expect((await sharp(await outputBytes(byUUID as never)).metadata()).width).toBe(120);
      const byURL = await runware[method]({ inputImage: 'https://example.com/photo.png', upscaleFactor: 2 } as never);
      expect(byURL.taskUUID).toEqual(expect.any(String));
      expect((await sharp(await outputBytes(byURL as never)).metadata()).width).toBe(1024);
    });

    it('upscale with deliveryMethod "async": the SDK polls getResponse until the result', async () => {
      const { runware, simulator } = await legacy({ imageLatencyMs: 50 });
      const result = await runware.upscale({ inputImage: dataUri(await solid(10, 10, '#000')), upscaleFactor: 4, deliveryMethod: 'async' } as never);
      expect(result).toMatchObject({ status: 'success', taskType: 'upscale', imageURL: expect.any(String) });
      expect((await sharp(await outputBytes(result as never)).metadata()).width).toBe(40);
      expect(simulator.stats().tasksReceived['getResponse']).toBeGreaterThanOrEqual(1);
    }, 20_000);

    it.each(['removeBackground', 'removeImageBackground'] as const)('%s: returns a PNG whose alpha follows the rule, settings nested', async (method) => {
      const { runware } = await legacy();
      const box = { left: 8, top: 6, width: 10, height: 8 };
      const input = dataUri(await solidWithBox({ width: 30, height: 20 }, '#20a040', { ...box, colour: '#e01010' }));
      const result = await runware[method]({ inputImage: input, model: 'runware:109@1', settings: { postProcessMask: false } });
      expect(result).toMatchObject({ taskType: 'removeBackground', imageUUID: expect.any(String), inputImageUUID: expect.any(String) });
      const { data, width } = await pixelsOf(await outputBytes(result as never));
      const wrong = [...Array(30 * 20).keys()].filter((p) => data[4 * p + 3] !== (inBox(box, p % width, Math.floor(p / width)) ? 255 : 0));
      expect(wrong).toEqual([]);
    });

    it.each(['caption', 'requestImageToText'] as const)('%s: describes the image', async (method) => {
      const { runware } = await legacy();
      const result = await runware[method]({ inputImage: dataUri(await solid(16, 16, '#f0f0f0')), includeCost: true });
      expect(result).toMatchObject({ taskType: 'caption', text: 'A 16×16 square image, mostly white (100%); bright, flat contrast.', cost: expect.any(Number) });
    });

    it.each(['promptEnhance', 'enhancePrompt'] as const)('%s: answers promptVersions texts within promptMaxLength, and defaults', async (method) => {
      const { runware } = await legacy();
      const versions = await runware[method]({ prompt: 'a castle on a hill', promptVersions: 3, promptMaxLength: 64 });
      expect(versions).toHaveLength(3);
      for (const version of versions) expect(version.text.length).toBeLessThanOrEqual(64);
      expect(new Set(versions.map((version) => version.text)).size).toBe(3);
      const defaults = await runware[method]({ prompt: 'a castle' });
      expect(defaults).toHaveLength(1);
      expect(defaults[0]!.text).toMatch(/^a castle, /);
    });

    it('imageUpload: keeps the image, serves it byte for byte, and its UUID is an input', async () => {
      const { runware } = await legacy();
      const png = await solid(12, 9, '#aa3377');
      const uploaded = await runware.imageUpload({ image: dataUri(png) });
      expect(uploaded).toMatchObject({ taskType: 'imageUpload', imageUUID: expect.any(String), imageURL: expect.any(String) });
      expect(Buffer.from(await (await fetch(uploaded.imageURL)).arrayBuffer()).equals(png)).toBe(true);
      const upscaled = await runware.upscale({ inputImage: String(uploaded.imageUUID), upscaleFactor: 2 } as never);
      expect(upscaled.inputImageUUID).toBe(uploaded.imageUUID);
    });

    it('mediaStorage: uploads by default, deletes on request, and rejects a deleted UUID', async () => {
      const { runware } = await legacy();
      const png = await solid(6, 6, '#123123');
      const stored = (await runware.mediaStorage({ media: png.toString('base64') })) as unknown as Record<string, string>;
      expect(stored).toMatchObject({ taskType: 'mediaStorage', operation: 'upload', mediaUUID: expect.any(String), mediaURL: expect.any(String) });
      expect(Buffer.from(await (await fetch(stored['mediaURL']!)).arrayBuffer()).equals(png)).toBe(true);
      expect(await runware.mediaStorage({ media: stored['mediaUUID']!, operation: 'delete' })).toMatchObject({ operation: 'delete', mediaUUID: stored['mediaUUID'] });
      await expect(runware.upscale({ inputImage: stored['mediaUUID'], upscaleFactor: 2 } as never)).rejects.toMatchObject({ error: { code: 'mediaNotFound', parameter: 'inputImage' } });
    });

    it('rejects a nonexistent model with modelNotFound (what the SDK maps to notFound)', async () => {
      const { runware } = await legacy();
      await expect(runware.requestImages({ positivePrompt: 'nothing', model: 'nonexistent:999@999', width: 512, height: 512 })).rejects.toMatchObject({
        error: { code: 'modelNotFound', parameter: 'model' },
      });
    });

    it('runs against the path-less URL its TEST environment uses (ws://host:port)', async () => {
      const { simulator } = await legacy();
      const bare = new RunwareServer({ apiKey: 'legacy-key', url: simulator.url.replace(/\/v1$/, ''), shouldReconnect: false });
      disconnect.push(() => bare.disconnect());
      const [image] = (await bare.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 128, height: 128 })) ?? [];
      expect(image?.imageURL).toEqual(expect.any(String));
    });
  });
});
