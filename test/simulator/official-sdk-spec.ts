import { once } from 'node:events';
import { RunwareServer } from '@runware/sdk-js';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions, SimulatorProfile } from 'runware-rx/simulator';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, solidWithBox } from './support/media.js';

/** What the official SDK's results look like to a test: loose records. */
type Item = Record<string, unknown>;
const asList = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : [value as Item]);

/**
 * The official `@runware/sdk-js` 1.3.2, unchanged, against the simulator in one delivery profile:
 * every method of the SDK that the simulator claims to serve, the error paths a user meets (bad
 * parameter, wrong key, unknown model, failed generations) and the SDK's reconnects. One call at
 * a time: concurrent calls meet the framing findings of hunt-official-framing.test.ts instead.
 */
export const officialSdkSpec = (profile: SimulatorProfile): void => {
  describe(`@runware/sdk-js 1.3.2 against the simulator, profile "${profile}"`, () => {
    const harness = useSimulator();
    const clients: RunwareServer[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.disconnect()));
    });
    /** A simulator of this profile and an SDK client of it, connected. */
    const connect = async (options: SimulatorOptions = {}, sdk: Partial<ConstructorParameters<typeof RunwareServer>[0]> = {}) => {
      const simulator = await harness.start({ profile, apiKey: 'official-key', videoReadyAfterMs: 150, ...options });
      const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false, ...sdk });
      clients.push(runware);
      return { simulator, runware };
    };
    const picture = () => solidWithBox({ width: 48, height: 32 }, '#2050c0', { left: 12, top: 8, width: 20, height: 14, colour: '#f0d010' });

    describe('image inference', () => {
      it.each([
        { numberResults: 1, outputType: 'URL', field: 'imageURL' },
        { numberResults: 3, outputType: 'base64Data', field: 'imageBase64Data' },
        { numberResults: 4, outputType: 'dataURI', field: 'imageDataURI' },
      ] as const)('numberResults $numberResults as $outputType: that many distinct images of the asked size, seeds and costs', async ({ numberResults, outputType, field }) => {
        const { runware } = await connect();
        const partial: Item[] = [];
        const images = asList(
          await runware.requestImages({
            positivePrompt: 'a lighthouse at dusk',
            model: 'runware:100@1',
            width: 320,
            height: 192,
            numberResults,
            outputType,
            outputFormat: 'PNG',
            includeCost: true,
            onPartialImages: (items) => void partial.push(...(items as unknown as Item[])),
          }),
        );
        expect(images).toHaveLength(numberResults);
        expect(new Set(images.map((image) => image['imageUUID'])).size).toBe(numberResults);
        for (const image of images) {
          expect(image).toMatchObject({ taskType: 'imageInference', seed: expect.any(Number), cost: expect.any(Number), [field]: expect.any(String) });
          expect(image['cost']).toBeGreaterThan(0);
          expect(await sharp(await outputBytes(image)).metadata()).toMatchObject({ format: 'png', width: 320, height: 192 });
        }
        expect(partial.map((image) => image['imageUUID']).sort()).toEqual(images.map((image) => image['imageUUID']).sort());
      });

      it('imageInference (the alias) with deliveryMethod "async": the SDK takes the ack as its answer, as its source does', async () => {
        const { runware, simulator } = await connect({ imageLatencyMs: 30 });
        const [ack] = asList(await runware.imageInference({ positivePrompt: 'a kite', model: 'runware:101@1', width: 256, height: 256, deliveryMethod: 'async' } as never));
        expect(ack).toEqual({ taskType: 'imageInference', taskUUID: expect.any(String) });
        const polled = await runware.getResponse<Item>({ taskUUID: String(ack!['taskUUID']) });
        expect(polled[0]).toMatchObject({ taskUUID: ack!['taskUUID'], status: expect.stringMatching(/^(processing|success)$/) });
        expect(simulator.stats().tasksReceived['getResponse']).toBe(1);
      });
    });

    describe('video inference, polled every 2 s by the SDK', () => {
      it('one video: the ack, then getResponse until success, an MP4 that is served', async () => {
        const { runware, simulator } = await connect();
        const [video] = asList(await runware.videoInference({ positivePrompt: 'a paper boat', model: 'pixverse:1@5', duration: 5, width: 720, height: 1280, includeCost: true } as never));
        expect(video).toMatchObject({ taskType: 'videoInference', status: 'success', videoUUID: expect.any(String), videoURL: expect.stringMatching(/\.mp4$/), cost: expect.any(Number) });
        expect((await fetch(String(video!['videoURL']))).headers.get('content-type')).toBe('video/mp4');
        expect(simulator.stats().tasksReceived['getResponse']).toBeGreaterThanOrEqual(1);
      }, 20_000);

      it('numberResults 2: two distinct videos', async () => {
        const { runware } = await connect();
        const videos = asList(await runware.videoInference({ positivePrompt: 'two boats', model: 'klingai:5@3', duration: 5, width: 640, height: 360, numberResults: 2 } as never));
        expect(new Set(videos.map((video) => video['videoUUID'])).size).toBe(2);
      }, 20_000);

      it('skipResponse: the ack only; a later getResponse has the video', async () => {
        const { runware } = await connect({ videoReadyAfterMs: 50 });
        const ack = (await runware.videoInference({ positivePrompt: 'a boat', model: 'klingai:5@3', duration: 5, skipResponse: true } as never)) as unknown as Item;
        expect(ack).toEqual({ taskType: 'videoInference', taskUUID: expect.any(String) });
        // Bounded: the video is encoded once ready, so the first polls may still say processing.
        let result: Item | undefined;
        for (let poll = 0; poll < 200 && result?.['status'] !== 'success'; poll++) {
          [result] = await runware.getResponse<Item>({ taskUUID: String(ack['taskUUID']) });
          expect(result?.['status']).toMatch(/^(processing|success)$/);
          if (result?.['status'] !== 'success') await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(result).toMatchObject({ status: 'success', videoURL: expect.any(String) });
      }, 20_000);
    });

    describe('image tools and uploads', () => {
      it('upscale, sync and async: factor × the input', async () => {
        const { runware } = await connect({ imageLatencyMs: 20 });
        const input = dataUri(await picture());
        const sync = (await runware.upscale({ inputImage: input, upscaleFactor: 2, outputFormat: 'PNG' } as never)) as unknown as Item;
        expect(await sharp(await outputBytes(sync)).metadata()).toMatchObject({ width: 96, height: 64 });
        const polled = (await runware.upscaleGan({ inputImage: String(sync['imageUUID']), upscaleFactor: 3, deliveryMethod: 'async' } as never)) as unknown as Item;
        expect(polled).toMatchObject({ status: 'success', inputImageUUID: sync['imageUUID'] });
        expect((await sharp(await outputBytes(polled)).metadata()).width).toBe(288);
      }, 20_000);

      it('removeBackground: a transparent background, the subject kept', async () => {
        const { runware } = await connect();
        const result = (await runware.removeBackground({ inputImage: dataUri(await picture()), model: 'runware:110@1', outputFormat: 'PNG' } as never)) as unknown as Item;
        const { data, info } = await sharp(await outputBytes(result)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        expect(data[3]).toBe(0);
        expect(data[4 * (info.width * 15 + 20) + 3]).toBe(255);
      });

      it('caption and promptEnhance', async () => {
        const { runware } = await connect();
        const caption = await runware.caption({ inputImage: dataUri(await picture()) });
        expect(caption.text).toMatch(/^A 48×32 landscape image, mostly blue/);
        const versions = await runware.promptEnhance({ prompt: 'a castle', promptVersions: 3, promptMaxLength: 80 });
        expect(versions).toHaveLength(3);
        expect(new Set(versions.map((version) => version.text)).size).toBe(3);
      });

      it('imageUpload, mediaStorage (upload, delete), and the deleted UUID refused', async () => {
        const { runware } = await connect();
        const png = await picture();
        const uploaded = await runware.imageUpload({ image: dataUri(png) });
        expect(Buffer.from(await (await fetch(uploaded.imageURL)).arrayBuffer()).equals(png)).toBe(true);
        const stored = (await runware.mediaStorage({ media: png.toString('base64') })) as unknown as Item;
        expect(stored).toMatchObject({ operation: 'upload', mediaUUID: expect.any(String), mediaURL: expect.any(String) });
        await runware.mediaStorage({ media: String(stored['mediaUUID']), operation: 'delete' });
        await expect(runware.caption({ inputImage: String(stored['mediaUUID']) })).rejects.toMatchObject({ error: { code: 'mediaNotFound', taskType: 'caption' } });
      });

      it('vectorize, imageMasking, controlNetPreprocess (async, polled)', async () => {
        const { runware } = await connect({ imageLatencyMs: 20 });
        const input = dataUri(await picture());
        const svg = (await runware.vectorize({ model: 'recraft:1@1', inputs: { image: input } } as never)) as unknown as Item;
        expect((await sharp(await outputBytes(svg)).metadata()).format).toBe('svg');
        const mask = await runware.imageMasking({ model: 'runware:35@1', inputImage: input, maskPadding: 0 } as never);
        expect(mask.detections).toEqual([{ x_min: 12, y_min: 8, x_max: 31, y_max: 21 }]);
        const guide = (await runware.controlNetPreprocess({ inputImage: input, preProcessorType: 'depth' } as never)) as unknown as Item;
        expect((await sharp(await outputBytes(guide, 'guideImage')).metadata()).width).toBe(48);
      }, 20_000);

      it('photoMaker: numberResults images', async () => {
        const { runware } = await connect();
        const images = asList(await runware.photoMaker({ model: 'civitai:139562@297320', inputImages: [dataUri(await picture())], positivePrompt: 'a portrait', style: 'Cinematic' as never, width: 256, height: 256, numberResults: 2 }));
        expect(new Set(images.map((image) => image['imageUUID'])).size).toBe(2);
      });
    });

    describe('audio, text, 3D', () => {
      it('audioInference sync with numberResults 2, and async polled', async () => {
        const { runware } = await connect({ imageLatencyMs: 20 });
        const sync = asList(await runware.audioInference({ model: 'elevenlabs:1@1', positivePrompt: 'a bell', duration: 1, numberResults: 2, outputFormat: 'WAV' as never }));
        expect(new Set(sync.map((audio) => audio['audioUUID'])).size).toBe(2);
        expect((await outputBytes(sync[0]!, 'audio')).toString('ascii', 0, 4)).toBe('RIFF');
        const polled = asList(await runware.audioInference({ model: 'elevenlabs:1@1', positivePrompt: 'rain', duration: 1, deliveryMethod: 'async' } as never));
        expect(polled[0]).toMatchObject({ status: 'success', audioUUID: expect.any(String) });
      }, 20_000);

      it('textInference: the reply with usage', async () => {
        const { runware } = await connect();
        const [reply] = asList(await runware.textInference({ model: 'openai:gpt@4', messages: [{ role: 'user', content: 'Hello there' }], includeUsage: true }));
        expect(reply).toMatchObject({ text: expect.stringContaining('Hello there'), finishReason: 'stop', usage: expect.objectContaining({ totalTokens: expect.any(Number) }) });
      });

      it('threeDInference async: a GLB', async () => {
        const { runware } = await connect({ imageLatencyMs: 20 });
        const [model] = asList(await runware.threeDInference({ model: 'runware:3d@1', positivePrompt: 'a chair', deliveryMethod: 'async' } as never));
        const url = (model as { outputs: { files: { url: string }[] } }).outputs.files[0]!.url;
        expect(Buffer.from(await (await fetch(url)).arrayBuffer()).toString('ascii', 0, 4)).toBe('glTF');
      }, 20_000);
    });

    describe('platform tasks', () => {
      it('modelSearch, modelUpload (every phase), the uploaded model found, training, getTaskDetails', async () => {
        const { runware } = await connect({ videoReadyAfterMs: 100 });
        const search = await runware.modelSearch({ search: 'flux', limit: 3 });
        expect(search.results).toHaveLength(3);
        const phases: string[] = [];
        const ready = await runware.modelUpload({
          category: 'lora', architecture: 'flux1d' as never, format: 'safetensors' as never, air: 'runware:4242@1', name: 'hunt lora', version: '1', uniqueIdentifier: 'u1', downloadURL: 'https://example.com/l.safetensors', private: true, defaultWeight: 1,
          onUploadStream: (response) => void (response && phases.push(response.status)),
        });
        expect(ready).toMatchObject({ status: 'ready', air: 'runware:4242@1' });
        expect(phases).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
        const mine = await runware.modelSearch({ search: 'hunt lora', visibility: 'private' } as never);
        expect(mine.results.map((model) => model.air)).toEqual(['runware:4242@1']);
        const trained = asList(await runware.training({ model: 'runware:trainer@1', importModel: { air: 'runware:4343@1', name: 't', uniqueIdentifier: 'u', version: '1' }, inputs: { dataset: 'https://example.com/set.zip' }, skipResponse: false } as never));
        expect(trained[0]).toMatchObject({ status: 'success', air: 'runware:4343@1' });
        const details = await runware.getTaskDetails({ taskUUID: String(trained[0]!['taskUUID']) });
        expect(details).toMatchObject({ taskType: 'getTaskDetails', request: [expect.objectContaining({ taskType: 'training' })], response: { data: [expect.objectContaining({ status: 'success' })] } });
      }, 20_000);
    });

    describe('error paths', () => {
      it('a bad parameter rejects with the API error of that task, and the client goes on', async () => {
        const { runware } = await connect();
        await expect(runware.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 100, height: 128 })).rejects.toMatchObject({
          error: { code: 'invalidWidth', parameter: 'width', taskType: 'imageInference', taskUUID: expect.any(String) },
        });
        await expect(runware.upscale({ inputImage: 'https://example.com/a.png', upscaleFactor: 9 } as never)).rejects.toMatchObject({ error: { code: 'invalidUpscaleFactor' } });
        await expect(runware.promptEnhance({ prompt: 'x'.repeat(301) })).rejects.toMatchObject({ error: { code: 'invalidPromptLength' } });
        await expect(runware.videoInference({ positivePrompt: 'a boat', model: 'klingai:5@3', duration: 7 } as never)).rejects.toMatchObject({ error: { code: 'unsupportedDuration', allowedValues: [5, 10] } });
        expect(asList(await runware.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 128, height: 128 }))).toHaveLength(1);
      });

      it('an unknown model is modelNotFound for images and videos (protocol §10.7)', async () => {
        const { runware } = await connect();
        await expect(runware.requestImages({ positivePrompt: 'nothing', model: 'nonexistent:999@999', width: 512, height: 512 })).rejects.toMatchObject({ error: { code: 'modelNotFound', parameter: 'model' } });
        await expect(runware.videoInference({ positivePrompt: 'nothing', model: 'nonexistent:999@999', duration: 5 } as never)).rejects.toMatchObject({ error: { code: 'modelNotFound', parameter: 'model' } });
      });

      it('a wrong key: invalidApiKey and 1008 for every attempt; no task ever reaches the simulator', async () => {
        const simulator = await harness.start({ profile, apiKey: 'official-key' });
        const runware = new RunwareServer({ apiKey: 'wrong-key', url: simulator.url, shouldReconnect: true });
        clients.push(runware);
        const closed = once((runware as unknown as { _ws: NodeJS.EventEmitter })._ws, 'close');
        await expect(runware.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 128, height: 128 })).rejects.toMatchObject({ error: { code: 'invalidApiKey', taskType: 'authentication' } });
        expect((await closed)[0]).toBe(1008);
        // sdk-js's ensureConnection clears its invalid-key state when it refuses a call
        // (Runware-base.ts:1900), so a later call dials again and is refused again: its own quirk.
        await expect(runware.caption({ inputImage: 'https://example.com/a.png' })).rejects.toMatchObject({ error: { code: 'invalidApiKey' } });
        expect(Object.keys(simulator.stats().tasksReceived)).toEqual(['authentication']);
      });

      it('a failed generation of a sync task rejects the call with its error', async () => {
        const { runware, simulator } = await connect();
        simulator.faults.failNextItems(1, 'timeoutProvider');
        await expect(runware.requestImages({ positivePrompt: 'a kite', model: 'runware:101@1', width: 128, height: 128, numberResults: 3 })).rejects.toMatchObject({ error: { code: 'timeoutProvider', taskType: 'imageInference' } });
      });

      it('a failed video generation reaches the SDK through getResponse and rejects the call', async () => {
        const { runware, simulator } = await connect();
        simulator.faults.failNextItems(1, 'timeoutProvider');
        await expect(runware.videoInference({ positivePrompt: 'a boat', model: 'klingai:5@3', duration: 5 } as never)).rejects.toMatchObject({ error: { code: 'timeoutProvider', status: 'error' } });
      }, 20_000);
    });

    describe('the SDK’s reconnects', () => {
      /** The SDK's current socket, to wait for its close: the SDK exposes no event of its own. */
      const socketOf = (runware: RunwareServer) => (runware as unknown as { _ws: NodeJS.EventEmitter })._ws;

      it.each([{ closeFrame: false }, { code: 1011 as const }, { code: 1000 as const }])('after a drop (%o) while idle, the next call runs on a new socket and session', async (how) => {
        const { runware, simulator } = await connect({}, { shouldReconnect: true });
        await runware.ensureConnection();
        const closed = once(socketOf(runware), 'close');
        expect(simulator.faults.drop(how)).toBe(1);
        await closed;
        const [image] = asList(await runware.requestImages({ positivePrompt: 'after the drop', model: 'runware:101@1', width: 128, height: 128 }));
        expect(image).toMatchObject({ imageUUID: expect.any(String) });
        expect(simulator.stats()).toMatchObject({ tasksReceived: { authentication: 2, imageInference: 1 }, sessions: 2 });
      }, 20_000);

      it('after the server’s idle close (1000), the SDK reconnects by itself and the next call runs', async () => {
        const { runware, simulator } = await connect({ idleTimeoutMs: 300 }, { shouldReconnect: true });
        await runware.ensureConnection();
        const [code] = (await once(socketOf(runware), 'close')) as [number];
        expect(code).toBe(1000);
        const [image] = asList(await runware.requestImages({ positivePrompt: 'after idling', model: 'runware:101@1', width: 128, height: 128 }));
        expect(image).toMatchObject({ imageUUID: expect.any(String) });
        expect(simulator.stats().tasksReceived['authentication']).toBeGreaterThanOrEqual(2);
      }, 20_000);

      it('a drop under a call in flight: the SDK does not resume, times out and resubmits under a new taskUUID (its design, §2.2)', async () => {
        const { runware, simulator } = await connect({ imageLatencyMs: 400 }, { shouldReconnect: true, timeoutDuration: 2000 });
        await runware.ensureConnection();
        const pending = runware.requestImages({ positivePrompt: 'in flight', model: 'runware:101@1', width: 128, height: 128 });
        await new Promise<void>((resolve) => {
          const check = () => (simulator.stats().tasksStarted['imageInference'] === 1 ? resolve() : setImmediate(check));
          check();
        });
        simulator.faults.drop({ closeFrame: false });
        expect(asList(await pending)).toHaveLength(1);
        const started = simulator.receivedTasks().filter((task) => task['taskType'] === 'imageInference');
        expect(started).toHaveLength(2);
        expect(started[0]!['taskUUID']).not.toBe(started[1]!['taskUUID']);
      }, 20_000);
    });
  });
};
