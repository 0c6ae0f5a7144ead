import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useSimulator } from './support/harness.js';
import { authenticate, openClient, pollUntil, taskUUID, type Frame, type Item, type RawClient } from './support/raw-client.js';
import { dataUri, solidWithBox } from './support/media.js';

/**
 * The rows of /work/shared/official-clients-surface.md for the two official clients that cannot
 * run here, py-legacy (PyPI `runware` 0.5.24) and ts-new (`@runware/sdk` 1.6.8): their frames,
 * sent as they send them with a plain `ws` client, and the fields of the replies they read.
 */
describe.each(['default', 'realistic'] as const)('the frames of py-legacy and ts-new, profile "%s"', (profile) => {
  const harness = useSimulator();
  const extra: RawClient[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((client) => client.close()));
  });
  const start = (options: Parameters<typeof harness.start>[0] = {}) => harness.start({ profile, media: false, videoReadyAfterMs: 100, imageLatencyMs: 10, ...options });
  const picture = async () => dataUri(await solidWithBox({ width: 40, height: 24 }, '#2050c0', { left: 8, top: 6, width: 16, height: 10, colour: '#f0d010' }));
  /** Sends one task and waits for `count` items (data + errors) of its taskUUID. */
  const ask = async (client: RawClient, task: Item, count = 1) => {
    const id = typeof task['taskUUID'] === 'string' ? task['taskUUID'] : taskUUID();
    client.send([{ ...task, taskUUID: id }]);
    return { id, ...(await client.results(id, count)) };
  };
  /** py-legacy's "is an error": an item with `code`, `error` or `errorId`. */
  const isPyError = (item: Item) => 'code' in item || 'error' in item || 'errorId' in item;

  describe('py-legacy', () => {
    /** py-legacy dials exactly the URL given; its TEST environment's has no /v1. */
    const pyClient = async () => {
      const simulator = await start();
      const socket = new WebSocket(simulator.url.replace(/\/v1$/, ''), { headers: { 'X-SDK-Name': 'python', 'X-SDK-Version': '0.5.24' } });
      await once(socket, 'open');
      socket.close();
      const client = await openClient(simulator.url.replace(/\/v1$/, ''));
      extra.push(client);
      return { simulator, client };
    };

    it('authenticates on the path-less URL; the session UUID is at data[0]', async () => {
      const { client } = await pyClient();
      client.send([{ taskType: 'authentication', apiKey: 'k' }]);
      const frame = await client.nextFrame(0);
      expect(frame.data?.[0]).toEqual({ taskType: 'authentication', connectionSessionUUID: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    });

    it('a wrong key: an errors item with taskType "authentication" and a message (and ts-new’s singular error), then 1008', async () => {
      await start({ apiKey: 'right' });
      const client = await harness.client();
      client.send([{ taskType: 'authentication', apiKey: 'wrong' }]);
      const frame = (await client.nextFrame(0)) as Frame & { error?: Item };
      expect(frame.errors?.[0]).toMatchObject({ code: 'invalidApiKey', taskType: 'authentication', message: expect.any(String), parameter: 'apiKey' });
      expect(frame.error).toEqual(frame.errors?.[0]);
      expect((await client.closed).code).toBe(1008);
    });

    it('the legacy tool names, with py-legacy’s layouts, answer under the name sent with the fields it reads', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const image = await picture();
      const upscaled = await ask(client, { taskType: 'imageUpscale', deliveryMethod: 'sync', upscaleFactor: 2, inputImage: image, outputType: 'URL', outputFormat: 'PNG' });
      expect(upscaled.data[0]).toMatchObject({ taskType: 'imageUpscale', imageUUID: expect.any(String), imageURL: expect.any(String) });
      const removed = await ask(client, { taskType: 'imageBackgroundRemoval', inputImage: image, rgba: [255, 0, 0, 1], postProcessMask: true, returnOnlyMask: false, alphaMatting: false });
      expect(removed.data[0]).toMatchObject({ taskType: 'imageBackgroundRemoval', imageUUID: expect.any(String) });
      const caption = await ask(client, { taskType: 'imageCaption', inputImages: [image, upscaled.data[0]!['imageUUID']], includeCost: true });
      expect(caption.data[0]).toMatchObject({ taskType: 'imageCaption', text: expect.stringMatching(/^Image 1: .* Image 2: /), cost: expect.any(Number) });
      const uploaded = await ask(client, { taskType: 'imageUpload', image });
      expect(uploaded.data[0]).toEqual({ taskType: 'imageUpload', taskUUID: uploaded.id, imageUUID: expect.any(String), imageURL: expect.any(String) });
      const stored = await ask(client, { taskType: 'mediaStorage', operation: 'upload', media: image.slice(image.indexOf(',') + 1) });
      expect(stored.data[0]).toMatchObject({ mediaUUID: expect.any(String) });
      expect([...upscaled.errors, ...removed.errors, ...caption.errors, ...uploaded.errors, ...stored.errors]).toEqual([]);
    });

    it('promptEnhance: promptVersions distinct texts (py-legacy collapses equal ones); modelSearch with its leaked fields: tags and private on every result', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const enhanced = await ask(client, { taskType: 'promptEnhance', prompt: 'a dog', promptMaxLength: 380, promptVersions: 4 }, 4);
      expect(new Set(enhanced.data.map((item) => item['text'])).size).toBe(4);
      const found = await ask(client, { taskType: 'modelSearch', search: 'flux', limit: 20, offset: 0, customTaskUUID: taskUUID(), retry: 2 });
      const [search] = found.data as [{ totalResults: number; results: Item[] }];
      expect(Number.isInteger(search.totalResults)).toBe(true);
      for (const result of search.results) expect([Array.isArray(result['tags']), typeof result['private']]).toEqual([true, 'boolean']);
    });

    it('photoMaker with style and strength sent as null (py-legacy’s unset), vectorize from a prompt alone, audio and text sync', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const photo = await ask(client, { taskType: 'photoMaker', model: 'civitai:139562@297320', positivePrompt: 'a portrait img', numberResults: 2, height: 256, width: 256, style: null, strength: null, inputImages: [await picture()] }, 2);
      expect(photo.data.map(isPyError)).toEqual([false, false]);
      const vector = await ask(client, { taskType: 'vectorize', outputFormat: 'SVG', positivePrompt: 'a logo', width: 512, height: 512 });
      expect(vector.data[0]).toMatchObject({ imageURL: expect.stringMatching(/\.svg$/) });
      const audio = await ask(client, { deliveryMethod: 'sync', taskType: 'audioInference', model: 'elevenlabs:1@1', numberResults: 1, positivePrompt: 'rain', duration: 2 });
      expect(audio.data[0]).toMatchObject({ audioUUID: expect.any(String) });
      const text = await ask(client, { taskType: 'textInference', model: 'openai:gpt@4', deliveryMethod: 'sync', messages: [{ role: 'user', content: 'hi' }], includeUsage: true });
      expect(text.data[0]).toMatchObject({ text: expect.any(String), usage: expect.any(Object) });
    });

    it('imageInference with the dataclass scalars py-legacy copies (nsfw_check, useCache, …), then a resend of the same taskUUID: conflictTaskUUID, and getResponse has the results', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const task = { taskType: 'imageInference', taskUUID: taskUUID(), model: 'runware:101@1', deliveryMethod: 'sync', numberResults: 2, positivePrompt: 'a cat', width: 256, height: 256, nsfw_check: false, useCache: false, acceleration: 'none', ttl: 60, resolution: '1k', vae: 'runware:vae@1' };
      const first = await ask(client, task, 2);
      expect(first.data.filter((item) => 'imageUUID' in item)).toHaveLength(2);
      const again = await ask(client, task, 3);
      expect(again.errors[0]).toMatchObject({ code: 'conflictTaskUUID', taskUUID: task.taskUUID });
      const polls = await pollUntil(client, task.taskUUID, (reply) => (reply.data ?? []).filter((item) => item['status'] === 'success' && 'imageUUID' in item).length === 2);
      expect(polls.at(-1)?.data?.map((item) => item['imageUUID'])).toEqual(first.data.map((item) => item['imageUUID']));
    });

    it('imageInference takes outputType as a list (protocol §10.2, newer py-legacy)', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const reply = await ask(client, { taskType: 'imageInference', model: 'runware:101@1', deliveryMethod: 'sync', numberResults: 1, positivePrompt: 'a cat', width: 256, height: 256, outputType: ['URL', 'base64Data'] });
      expect(reply.errors).toEqual([]);
      expect(reply.data[0]).toMatchObject({ imageURL: expect.any(String), imageBase64Data: expect.any(String) });
    });

    it('async tasks: 3dInference and a video caption polled at once (before the ack is read) are known to getResponse; training reports progress and a message', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const threeD = await ask(client, { taskType: '3dInference', model: 'runware:3d@1', positivePrompt: 'a cup', numberResults: 1, deliveryMethod: 'async', inputs: {}, settings: {} });
      expect(threeD.data[0]).toEqual({ taskType: '3dInference', taskUUID: threeD.id });
      const glb = await pollUntil(client, threeD.id, (reply) => reply.data?.[0]?.['status'] === 'success');
      expect(glb.at(-1)?.data?.[0]).toMatchObject({ outputs: { files: [{ uuid: expect.any(String), url: expect.stringMatching(/\.glb$/) }] } });

      const caption = taskUUID();
      client.send([{ taskType: 'caption', taskUUID: caption, model: 'runware:152@2', inputs: { video: 'https://example.com/clip.mp4' }, deliveryMethod: 'async', includeCost: true }]);
      client.send([{ taskType: 'getResponse', taskUUID: caption }]);
      const captions = await pollUntil(client, caption, (reply) => reply.data?.some((item) => item['status'] === 'success') === true);
      expect(client.itemsFor(caption).errors).toEqual([]);
      expect(captions.at(-1)?.data?.find((item) => item['status'] === 'success')).toMatchObject({ text: expect.stringMatching(/video/) });

      const training = await ask(client, { taskType: 'training', model: 'runware:trainer@1', deliveryMethod: 'async', importModel: { air: 'runware:5151@1', name: 'py', uniqueIdentifier: 'u', version: '1' }, inputs: { dataset: 'https://example.com/set.zip' } });
      const trained = await pollUntil(client, training.id, (reply) => reply.data?.[0]?.['status'] === 'success');
      for (const reply of trained.slice(0, -1)) expect(reply.data?.[0]).toMatchObject({ status: 'processing', progress: expect.any(Number), message: expect.any(String) });
      expect(trained.at(-1)?.data?.[0]).toMatchObject({ air: 'runware:5151@1' });
    });

    it('modelUpload as py-legacy sends it (defaultGuidanceScale, retry) streams every phase to ready; getTaskDetails answers taskType "getTaskDetails" with request and response', async () => {
      const { client } = await pyClient();
      await authenticate(client, 'k');
      const upload = await ask(client, { taskType: 'modelUpload', air: 'runware:7777@1', name: 'py model', downloadURL: 'https://example.com/m.safetensors', uniqueIdentifier: 'abc', version: '1', format: 'safetensors', private: true, category: 'checkpoint', architecture: 'sdxl', type: 'base', defaultGuidanceScale: 7, retry: 1 }, 5);
      expect(upload.data.map((item) => item['status'])).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
      client.send([{ taskType: 'getTaskDetails', taskUUID: upload.id }]);
      const reply = await client.until(() => client.frames.flatMap((frame) => frame.data ?? []).find((item) => item['taskType'] === 'getTaskDetails'));
      expect(reply).toMatchObject({ taskUUID: upload.id, request: [expect.objectContaining({ taskType: 'modelUpload' })], response: expect.any(Object) });
    });
  });

  describe('ts-new', () => {
    it('authenticates with its User-Agent, resumes its session after a drop, and gets what it missed', async () => {
      const simulator = await start({ imageLatencyMs: 200 });
      const socket = new WebSocket(simulator.url, { headers: { 'User-Agent': 'runware-typescript/1.6.8 (node/20.20.2; linux x64) schemas/20260722152433' } });
      await once(socket, 'open');
      socket.close();
      const first = await harness.client();
      const session = await authenticate(first, 'k');
      const id = taskUUID();
      first.send([{ taskType: 'imageInference', taskUUID: id, model: 'runware:101@1', positivePrompt: 'a kite', width: 128, height: 128, numberResults: 2, deliveryMethod: 'sync' }]);
      await new Promise<void>((resolve) => {
        const check = () => (simulator.stats().tasksStarted['imageInference'] === 1 ? resolve() : setImmediate(check));
        check();
      });
      simulator.faults.drop({ closeFrame: false });
      await first.closed;
      const second = await harness.client();
      expect(await authenticate(second, 'k', session)).toBe(session);
      // Whatever reached the first socket before the drop is not replayed; the rest is, once.
      const before = first.itemsFor(id).data.length;
      const replayed = await second.results(id, 2 - before);
      const images = [...first.itemsFor(id).data, ...replayed.data].map((item) => item['imageUUID']);
      expect(new Set(images).size).toBe(2);
      expect(images).toHaveLength(2);
    });

    it('run() sends deliveryMethod "async" on every task: each answers an ack (or at once) and getResponse then has a success item', async () => {
      await start();
      const client = await harness.authed();
      const image = await picture();
      const tasks: Item[] = [
        { taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a cat', width: 256, height: 256, numberResults: 2 },
        { taskType: 'upscale', inputs: { image }, upscaleFactor: 2 },
        { taskType: 'removeBackground', model: 'runware:110@1', inputs: { image } },
        { taskType: 'caption', model: 'runware:152@2', inputs: { image } },
        { taskType: 'promptEnhance', model: 'runware:llama-3-1-8b@prompt-enhancer', prompt: 'a dog', promptVersions: 2, promptMaxLength: 100 },
        { taskType: 'mediaStorage', operation: 'upload', media: image },
        { taskType: 'imageUpload', image },
        { taskType: 'modelSearch', search: 'flux', limit: 2 },
        { taskType: 'accountManagement', operation: 'getDetails' },
        { taskType: 'vectorize', model: 'recraft:1@1', inputs: { image } },
        { taskType: 'imageMasking', model: 'runware:35@1', inputs: { image } },
        { taskType: 'controlNetPreprocess', inputs: { image }, preProcessorType: 'canny' },
        { taskType: 'audioInference', model: 'elevenlabs:1@1', positivePrompt: 'rain', duration: 1 },
        { taskType: 'textInference', model: 'openai:gpt@4', messages: [{ role: 'user', content: 'hi' }] },
        { taskType: '3dInference', model: 'runware:3d@1', positivePrompt: 'a cup' },
        { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 },
      ];
      for (const task of tasks) {
        const first = await ask(client, { ...task, deliveryMethod: 'async' });
        expect({ taskType: task['taskType'], errors: first.errors }).toEqual({ taskType: task['taskType'], errors: [] });
        const wanted = task['taskType'] === 'imageInference' || task['taskType'] === 'promptEnhance' ? 2 : 1;
        const polls = await pollUntil(client, first.id, (reply) => (reply.data ?? []).filter((item) => item['status'] === 'success').length >= wanted);
        expect(polls.flatMap((reply) => reply.errors ?? [])).toEqual([]);
      }
    }, 30_000);

    it('getResponse keeps its items in one order across polls (ts-new keys callbacks by index), processing beside success', async () => {
      await start({ imageLatencyMs: 100, generationSpread: 1, latencySpread: 0 });
      const client = await harness.authed();
      const task = await ask(client, { taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a cat', width: 128, height: 128, numberResults: 4, deliveryMethod: 'async' });
      const polls = await pollUntil(client, task.id, (reply) => (reply.data ?? []).filter((item) => item['status'] === 'success').length === 4, { intervalMs: 15 });
      const final = polls.at(-1)!.data!.map((item) => item['imageUUID']);
      for (const reply of polls) {
        const items = reply.data ?? [];
        expect(items).toHaveLength(4);
        items.forEach((item, index) => item['status'] === 'success' && expect(item['imageUUID']).toBe(final[index]));
      }
    });
  });
});
