import { RunwareServer } from '@runware/sdk-js';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAudio } from './support/audio.js';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, solidWithBox } from './support/media.js';

/**
 * Every method @runware/sdk-js 1.3.2 has among the tasks of issues 12 and 13, run unchanged
 * against the simulator: the official legacy client speaks the protocol independently of our
 * code, so each round trip checks the simulator against a client we did not write.
 */
describe('simulator: interop with @runware/sdk-js 1.3.2, generation and platform tasks', () => {
  const harness = useSimulator();
  const disconnect: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(disconnect.splice(0).map((close) => close()));
  });
  const legacy = async (options: Parameters<typeof harness.start>[0] = {}, dryRun = false) => {
    const simulator = await harness.start(options);
    const runware = new RunwareServer({ apiKey: 'legacy-key', url: simulator.url, shouldReconnect: false, dryRun });
    disconnect.push(() => runware.disconnect());
    return { simulator, runware };
  };
  const picture = () => solidWithBox({ width: 48, height: 32 }, '#2050c0', { left: 12, top: 8, width: 20, height: 14, colour: '#f0d010' });

  it('audioInference (sync by default): a WAV of the asked duration', async () => {
    const { runware } = await legacy();
    const result = await runware.audioInference({ model: 'elevenlabs:1@1', positivePrompt: 'a bell', duration: 1.5, outputFormat: 'WAV' as never });
    const [audio] = Array.isArray(result) ? result : [result];
    expect(audio).toMatchObject({ taskType: 'audioInference', audioUUID: expect.any(String) });
    expect((await decodeAudio(await outputBytes(audio as never, 'audio'))).frames).toBe(Math.round(1.5 * 44_100));
  });

  it('textInference with its top-level settings: the reply and a usage that adds up', async () => {
    const { runware } = await legacy();
    const result = await runware.textInference({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'Say hi' }], maxTokens: 50, includeUsage: true });
    const [text] = Array.isArray(result) ? result : [result];
    expect(text?.text).toContain('Say hi');
    expect(text!.usage.promptTokens + text!.usage.completionTokens).toBe(text!.usage.totalTokens);
  });

  it('threeDInference (sync by default): a GLB', async () => {
    const { runware } = await legacy();
    const result = await runware.threeDInference({ model: 'runware:3d@1', positivePrompt: 'a chair' });
    const [model] = Array.isArray(result) ? result : [result];
    const url = model?.outputs?.files[0]?.url;
    expect(Buffer.from(await (await fetch(String(url))).arrayBuffer()).toString('ascii', 0, 4)).toBe('glTF');
  });

  it('vectorize: an SVG', async () => {
    const { runware } = await legacy();
    const result = await runware.vectorize({ model: 'recraft:1@1', inputs: { image: dataUri(await picture()) } });
    expect((await sharp(await outputBytes(result as never)).metadata()).format).toBe('svg');
  });

  it('imageMasking: the detections and a mask', async () => {
    const { runware } = await legacy();
    const result = await runware.imageMasking({ model: 'runware:35@1', inputImage: dataUri(await picture()), maskPadding: 0 });
    expect(result.detections).toEqual([{ x_min: 12, y_min: 8, x_max: 31, y_max: 21 }]);
    expect((await sharp(await outputBytes(result as never, 'maskImage')).metadata()).width).toBe(48);
  });

  it.each(['controlNetPreProcess', 'controlNetPreprocess'] as const)('%s: the legacy wire name, async and polled, a guide of the input’s size', async (method) => {
    const { runware, simulator } = await legacy({ imageLatencyMs: 20 });
    const result = await runware[method]({ inputImage: dataUri(await picture()), preProcessorType: 'canny' as never });
    expect(result).toMatchObject({ guideImageUUID: expect.any(String), inputImageUUID: expect.any(String) });
    expect((await sharp(await outputBytes(result as never, 'guideImage')).metadata()).width).toBe(48);
    expect(simulator.stats().tasksReceived).toMatchObject({ imageControlNetPreProcess: 1, getResponse: expect.any(Number) });
  }, 20_000);

  it('photoMaker: images of the requested size', async () => {
    const { runware } = await legacy();
    const images = await runware.photoMaker({ model: 'civitai:139562@297320', inputImages: [dataUri(await picture())], positivePrompt: 'a portrait', style: 'Cinematic' as never, width: 256, height: 192, numberResults: 2 });
    expect(images).toHaveLength(2);
    for (const image of images ?? []) expect((await sharp(await outputBytes(image as never)).metadata()).width).toBe(256);
  });

  it('modelSearch: results with tags and private', async () => {
    const { runware } = await legacy();
    const result = await runware.modelSearch({ search: 'flux', limit: 5 });
    expect(result.totalResults).toBeGreaterThan(0);
    expect(result.results.every((model) => Array.isArray(model.tags) && typeof model.private === 'boolean')).toBe(true);
  });

  it('modelUpload: resolves on ready, having streamed every phase', async () => {
    const { runware } = await legacy({ videoReadyAfterMs: 100 });
    const phases: string[] = [];
    const ready = await runware.modelUpload({
      category: 'lora', architecture: 'flux1d' as never, format: 'safetensors' as never, air: 'runware:31337@1', name: 'legacy lora', version: '1', uniqueIdentifier: 'x1', downloadURL: 'https://example.com/l.safetensors', private: true, defaultWeight: 1,
      onUploadStream: (response) => void (response && phases.push(response.status)),
    });
    expect(ready).toMatchObject({ status: 'ready', air: 'runware:31337@1' });
    expect(phases).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
  });

  it('training: the ack by default (skipResponse), and the model when it polls', async () => {
    const { runware } = await legacy({ videoReadyAfterMs: 100 });
    const request = { model: 'runware:trainer@1', importModel: { air: 'runware:4040@1', name: 'legacy', uniqueIdentifier: 'u', version: '1' }, inputs: { dataset: 'https://example.com/set.zip' } };
    expect(await runware.training(request)).toMatchObject({ taskType: 'training', taskUUID: expect.any(String) });
    const trained = await runware.training({ ...request, skipResponse: false });
    expect(Array.isArray(trained) ? trained[0] : trained).toMatchObject({ status: 'success', air: 'runware:4040@1' });
  }, 20_000);

  it('getTaskDetails: the request and response of an earlier task', async () => {
    const { runware } = await legacy();
    const [image] = (await runware.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 256, height: 256 })) ?? [];
    const details = await runware.getTaskDetails({ taskUUID: image!.taskUUID });
    expect(details).toMatchObject({ taskType: 'getTaskDetails', request: [expect.objectContaining({ positivePrompt: 'a kite' })] });
  });

  it('dryRun: the client’s requests are priced, none run', async () => {
    const { runware, simulator } = await legacy({}, true);
    const [priced] = (await runware.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 512, height: 512, includeCost: true })) ?? [];
    expect(priced).toMatchObject({ taskType: 'imageInference', cost: expect.any(Number) });
    expect((priced as { imageURL?: string }).imageURL).toBeUndefined();
    expect(simulator.stats().tasksReceived['imageInference']).toBe(1);
  });
});
