/*
 * Media inputs as a page has them: a File from an <input type=file>, an ArrayBuffer, typed arrays,
 * a data URL, what MediaRecorder and other frames hand out; large ones uploaded first, and the
 * 400 MB refusal. What the SDK sent is read at the simulator, byte for byte.
 */
import { rm, writeFile } from 'node:fs/promises';
import { expect, test } from './fixtures.js';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PNG_DATA_URI = `data:image/png;base64,${PNG.toString('base64')}`;
/** The first bytes of a WebM file (its EBML signature), which is all the simulator's storage looks at. */
const WEBM = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01]);

test('a File from an <input type=file>, an ArrayBuffer, typed arrays at an offset, a DataView and a data URL are all sent as the PNG data URI', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator();
  await app.setInputFiles('#file', { name: 'pixel.png', mimeType: 'image/png', buffer: PNG });
  const outcomes = await app.evaluate(async (wsUrl) => {
    const { createRunware } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
    const file = document.querySelector<HTMLInputElement>('#file')!.files![0]!;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const dataUrl = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsDataURL(file);
    });
    const inputs: Record<string, unknown> = {
      file,
      untypedFile: new File([bytes], 'pixel'),
      arrayBuffer: bytes.slice().buffer,
      uint8Array: bytes,
      offsetView: shifted.subarray(3),
      dataView: new DataView(shifted.buffer, 3, bytes.length),
      dataUrl,
    };
    const sent: Record<string, string> = {};
    for (const [name, inputImage] of Object.entries(inputs)) {
      const [result] = await runware.upscale({ inputImage: inputImage as string, upscaleFactor: 2 });
      sent[name] = result?.taskUUID ?? 'no result';
    }
    await runware.disconnect();
    return sent;
  }, simulator.url);
  const received = new Map(simulator.receivedTasks().map((task) => [task['taskUUID'], task['inputImage']]));
  for (const [name, taskUUID] of Object.entries(outcomes)) expect(received.get(taskUUID), name).toBe(PNG_DATA_URI);
  expect(pageErrors).toEqual([]);
});

test("a recording's type with parameters (MediaRecorder's video/webm;codecs=vp8,opus) is sent as a well-formed data URI of the bare type", async ({ app, startSimulator }) => {
  const simulator = await startSimulator();
  const results = await app.evaluate(
    async ({ wsUrl, webm }) => {
      const { createRunware } = window.runwareE2E!;
      const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
      const bytes = new Uint8Array(webm);
      const outcomes: string[] = [];
      for (const type of ['video/webm;codecs=vp8,opus', 'audio/webm; codecs="opus"', 'VIDEO/WebM']) {
        const media = new Blob([bytes], { type });
        outcomes.push(await runware.mediaStorage({ operation: 'upload', media }).then((items) => `stored ${String(items[0]?.mediaUUID !== undefined)}`, (error: unknown) => String(error)));
      }
      await runware.disconnect();
      return outcomes;
    },
    { wsUrl: simulator.url, webm: [...WEBM] },
  );
  expect(results).toEqual(['stored true', 'stored true', 'stored true']);
  const base64 = WEBM.toString('base64');
  expect(simulator.receivedTasks().filter((task) => task['taskType'] === 'mediaStorage').map((task) => task['media'])).toEqual([
    `data:video/webm;base64,${base64}`,
    `data:audio/webm;base64,${base64}`,
    `data:video/webm;base64,${base64}`,
  ]);
});

test('a File, a Blob or an ArrayBuffer made in another frame (an iframe holding the file input) is read like one of the page', async ({ app, startSimulator, pageErrors }) => {
  const simulator = await startSimulator();
  const outcomes = await app.evaluate(
    async ({ wsUrl, png }) => {
      const { createRunware } = window.runwareE2E!;
      const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const realm = frame.contentWindow as unknown as { File: typeof File; Blob: typeof Blob; Uint8Array: typeof Uint8Array };
      const inputs = {
        file: new realm.File([new Uint8Array(png)], 'pixel.png', { type: 'image/png' }),
        blob: new realm.Blob([new Uint8Array(png)]),
        arrayBuffer: realm.Uint8Array.from(png).buffer,
      };
      const sent: Record<string, string> = {};
      for (const [name, inputImage] of Object.entries(inputs)) {
        sent[name] = await runware.upscale({ inputImage: inputImage as unknown as string, upscaleFactor: 2 }).then((items) => items[0]?.taskUUID ?? 'no result', (error: unknown) => String(error));
      }
      frame.remove();
      await runware.disconnect();
      return sent;
    },
    { wsUrl: simulator.url, png: [...PNG] },
  );
  const received = new Map(simulator.receivedTasks().map((task) => [task['taskUUID'], task['inputImage']]));
  for (const [name, taskUUID] of Object.entries(outcomes)) expect(received.get(taskUUID), `${name}: ${taskUUID}`).toBe(PNG_DATA_URI);
  expect(pageErrors).toEqual([]);
});

test('a 5 MB File above uploadThreshold is stored with mediaStorage first and the task names it by its mediaUUID', async ({ app, startSimulator }) => {
  const simulator = await startSimulator();
  const big = Buffer.alloc(5_000_000);
  PNG.copy(big);
  await app.setInputFiles('#file', { name: 'large.png', mimeType: 'image/png', buffer: big });
  const taskUUID = await app.evaluate(async (wsUrl) => {
    const { createRunware } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
    const file = document.querySelector<HTMLInputElement>('#file')!.files![0]!;
    const [result] = await runware.upscale({ inputImage: file, upscaleFactor: 2 });
    await runware.disconnect();
    return result?.taskUUID;
  }, simulator.url);
  const tasks = simulator.receivedTasks();
  const stored = tasks.filter((task) => task['taskType'] === 'mediaStorage');
  expect(stored).toHaveLength(1);
  // The log keeps a bounded copy of a large task: its media string reads as its start and length.
  expect(String(stored[0]?.['media'])).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  expect(String(stored[0]?.['media'])).toContain(`[${String(`data:image/png;base64,`.length + Math.ceil(big.length / 3) * 4)} chars]`);
  const upscale = tasks.find((task) => task['taskUUID'] === taskUUID);
  expect(upscale?.['inputImage']).toMatch(/^[0-9a-f-]{36}$/);
});

test('a Blob over 400 MB is refused before a byte of it is read (no 400 MB copy in the tab), and nothing is sent', async ({ app, startSimulator }) => {
  const simulator = await startSimulator();
  const outcome = await app.evaluate(async (wsUrl) => {
    const { createRunware } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
    // One 1 MB part 401 times: the Blob is 401 MB, the page holds 1 MB.
    const part = new Uint8Array(1_000_000);
    const blob = new Blob(Array.from({ length: 401 }, () => part), { type: 'video/mp4' });
    // Every way to read a Blob, counted.
    const reads: string[] = [];
    for (const method of ['arrayBuffer', 'bytes', 'stream', 'text', 'slice'] as const) {
      const original = (Blob.prototype as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
      if (original === undefined) continue;
      Object.defineProperty(blob, method, {
        value: (...args: unknown[]) => {
          reads.push(method);
          return original.apply(blob, args);
        },
      });
    }
    const error = await runware.mediaStorage({ operation: 'upload', media: blob }).then(
      () => undefined,
      (failure: { code?: string; parameter?: string; message?: string; sent?: boolean }) => ({ code: failure.code, parameter: failure.parameter, message: failure.message, sent: failure.sent }),
    );
    await runware.disconnect();
    return { error, reads, size: blob.size };
  }, simulator.url);
  expect(outcome.size).toBe(401_000_000);
  expect(outcome.error).toEqual({ code: 'validation', parameter: 'media', message: 'media is too large to send: 401000000 bytes, at most 400000000', sent: false });
  expect(outcome.reads).toEqual([]);
  expect(simulator.stats().tasksReceived['mediaStorage']).toBeUndefined();
});

test('a chosen file deleted from the disk before it is read fails the request as unreadable, naming the field; nothing is sent', async ({ app, startSimulator }, testInfo) => {
  const simulator = await startSimulator();
  const path = testInfo.outputPath('deleted.png');
  await writeFile(path, PNG);
  await app.setInputFiles('#file', path);
  await rm(path);
  const failure = await app.evaluate(async (wsUrl) => {
    const runware = window.runwareE2E!.createRunware({ apiKey: 'e2e-key', url: wsUrl });
    const file = document.querySelector<HTMLInputElement>('#file')!.files![0]!;
    const outcome = await runware.upscale({ inputImage: file, upscaleFactor: 2 }).then(
      () => undefined,
      (error: { code?: string; parameter?: string; retryable?: boolean; sent?: boolean; message?: string }) => ({ code: error.code, parameter: error.parameter, retryable: error.retryable, sent: error.sent, message: error.message }),
    );
    await runware.disconnect();
    return outcome;
  }, simulator.url);
  expect(failure).toMatchObject({ code: 'validation', parameter: 'inputImage', retryable: false, sent: false });
  expect(failure?.message).toMatch(/^inputImage could not be read: /);
  expect(simulator.stats().tasksReceived['upscale']).toBeUndefined();
});

test("an object URL (blob:) is refused before anything is sent, naming the field: the server could never fetch the page's own URL", async ({ app, startSimulator }) => {
  const simulator = await startSimulator();
  const failure = await app.evaluate(
    async ({ wsUrl, png }) => {
      const runware = window.runwareE2E!.createRunware({ apiKey: 'e2e-key', url: wsUrl });
      const objectUrl = URL.createObjectURL(new Blob([new Uint8Array(png)], { type: 'image/png' }));
      const outcome = await runware.upscale({ inputImage: objectUrl, upscaleFactor: 2 }).then(
        () => undefined,
        (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
      );
      URL.revokeObjectURL(objectUrl);
      await runware.disconnect();
      return outcome;
    },
    { wsUrl: simulator.url, png: [...PNG] },
  );
  expect(failure?.code).toBe('validation');
  expect(failure?.message).toContain('inputImage must be a URL (http or https), the UUID of uploaded media, a data URI, base64, or bytes (Blob, ArrayBuffer, Uint8Array)');
  expect(simulator.stats().framesReceived).toBe(0);
});
