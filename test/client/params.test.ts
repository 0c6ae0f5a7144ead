import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogRecord, RunwareClient, RunwareOptions } from 'runware-rx';
import { createRunware, isRunwareError, withExtraFields } from 'runware-rx';
import { fromFile } from 'runware-rx/node';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { client as simulatorClient, received, simulator } from '../support/simulator.js';

/*
 * Requests as users write them: refused locally in plain words, unknown fields passed on with a
 * warning (once) or refused when asked, and media given as bytes or files encoded, large ones
 * uploaded first.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };
/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64'));

const servers: HostileServer[] = [];
const clients: RunwareClient[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((runware) => runware.disconnect()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  vi.restoreAllMocks();
});

/** A server that stores media (answering a UUID) and answers every other task with one image. */
async function toolServer(): Promise<HostileServer> {
  const server = await startHostileServer(
    politeAuth((task: Task, socket) => {
      const item =
        task.taskType === 'mediaStorage'
          ? { taskType: 'mediaStorage', taskUUID: task.taskUUID, operation: 'upload', mediaUUID: 'f2b1d0e4-5a3c-4e7b-9d8f-0a1b2c3d4e5f', mediaURL: 'http://127.0.0.1/m' }
          : { taskType: task.taskType, taskUUID: task.taskUUID, imageUUID: '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d', imageURL: 'http://127.0.0.1/i.png' };
      socket.send(JSON.stringify({ data: [item] }));
    }),
  );
  servers.push(server);
  return server;
}

function client(server: HostileServer, options: RunwareOptions = {}): RunwareClient {
  const created = createRunware({ apiKey: 'test-key-0001', url: server.url, ...options });
  clients.push(created);
  return created;
}

const failure = async (promise: Promise<unknown>) => {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isRunwareError(error)) throw new Error(`expected a typed error, got ${String(error)}`);
  return error;
};

describe('a request refused locally', () => {
  it('names the field, its value and the rule, and the simulator received nothing', async () => {
    const sim = await simulator({ media: false });
    const error = await failure(simulatorClient(sim).imageInference({ ...image, width: 5000, numberResults: 21 }));
    expect(error).toMatchObject({ name: 'ValidationError', code: 'validation', parameter: 'width', sent: false });
    expect(error.message).toBe(
      'Invalid imageInference request: width must be an integer from 64 to 4096 (got 5000); numberResults must be an integer from 1 to 20 (got 21)',
    );
    expect(received(sim, 'imageInference')).toBe(0);
  });
});

describe('unknown fields', () => {
  it('are sent as they are and named once, through the logger, with the field probably meant', async () => {
    const server = await toolServer();
    const logged: LogRecord[] = [];
    const runware = client(server, { logger: (record) => logged.push(record) });
    await runware.imageInference({ ...image, widht: 512 } as never);
    await runware.imageInference({ ...image, widht: 768 } as never);
    const sent = server.received.filter((task) => task.taskType === 'imageInference');
    expect(sent.map((task) => task['widht'])).toEqual([512, 768]);
    const warnings = logged.filter((record) => record.event === 'param.unknown');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.detail).toContain('unknown field "widht" (did you mean "width"?)');
  });

  it('are named with console.warn when there is no logger', async () => {
    const server = await toolServer();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await client(server).imageInference({ ...image, brandNew: true } as never);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain('unknown field "brandNew"');
  });

  it('are refused with strictParams, for the client or for one request, and nothing is sent', async () => {
    const server = await toolServer();
    const strict = await failure(client(server, { strictParams: true }).imageInference({ ...image, widht: 512 } as never));
    expect(strict).toMatchObject({ code: 'validation', parameter: 'widht' });
    expect(strict.message).toContain('unknown field "widht" (did you mean "width"?)');
    const perRequest = await failure(client(server).imageInference({ ...image, widht: 512 } as never, { strictParams: true }));
    expect(perRequest.parameter).toBe('widht');
    expect(server.received.filter((task) => task.taskType === 'imageInference')).toEqual([]);
  });

  it('pass without a cast or a warning through withExtraFields, and are sent', async () => {
    const server = await toolServer();
    const logged: LogRecord[] = [];
    await client(server, { logger: (record) => logged.push(record), strictParams: true }).imageInference(withExtraFields(image, { brandNewOption: { level: 3 } }));
    expect(server.received.find((task) => task.taskType === 'imageInference')).toMatchObject({ brandNewOption: { level: 3 } });
    expect(logged.filter((record) => record.event === 'param.unknown')).toEqual([]);
  });
});

describe('the task\'s identity among the parameters', () => {
  it('refuses a taskUUID there, saying where it goes, instead of warning that it is sent and then replacing it', async () => {
    const server = await toolServer();
    const logged: LogRecord[] = [];
    const taskUUID = '6a1f4c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b';
    const error = await failure(client(server, { logger: (record) => logged.push(record) }).imageInference({ ...image, taskUUID } as never));
    expect(error).toMatchObject({ code: 'validation', parameter: 'taskUUID', sent: false });
    expect(error.message).toContain('give it as a request option, { taskUUID }');
    expect(logged.filter((record) => record.event === 'param.unknown')).toEqual([]);
    expect(server.received.filter((task) => task.taskType === 'imageInference')).toEqual([]);
    // Where it goes, it is the taskUUID the task is sent under.
    await client(server).imageInference(image, { taskUUID });
    expect(server.received.filter((task) => task.taskType === 'imageInference').map((task) => task.taskUUID)).toEqual([taskUUID]);
  });

  it('lets the method\'s own taskType through quietly, even with strictParams, and refuses another', async () => {
    const server = await toolServer();
    const logged: LogRecord[] = [];
    const runware = client(server, { logger: (record) => logged.push(record), strictParams: true });
    await runware.imageInference({ ...image, taskType: 'imageInference' } as never);
    expect(logged.filter((record) => record.event === 'param.unknown')).toEqual([]);
    const error = await failure(runware.imageInference({ ...image, taskType: 'videoInference' } as never));
    expect(error).toMatchObject({ code: 'validation', parameter: 'taskType' });
    expect(error.message).toContain('this one sends "imageInference" (got "videoInference")');
    expect(server.received.filter((task) => task.taskType === 'imageInference')).toHaveLength(1);
  });
});

describe('media given as bytes', () => {
  it('are sent as data URIs: a Uint8Array, an ArrayBuffer, a Blob and a file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'runware-media-'));
    folders.push(folder);
    const path = join(folder, 'photo.png');
    await writeFile(path, PNG);
    const server = await toolServer();
    const runware = client(server);
    const inputs = [PNG, PNG.buffer.slice(PNG.byteOffset, PNG.byteOffset + PNG.byteLength), new Blob([PNG], { type: 'image/png' }), fromFile(path)];
    for (const inputImage of inputs) await runware.upscale({ inputImage, upscaleFactor: 2 });
    const sent = server.received.filter((task) => task.taskType === 'upscale').map((task) => task['inputImage']);
    const expected = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;
    expect(sent).toEqual([expected, expected, expected, expected]);
  });

  it('are uploaded first and sent by UUID above the upload threshold', async () => {
    const server = await toolServer();
    const [result] = await client(server, { uploadThreshold: 10 }).removeBackground({ inputs: { image: PNG } });
    const [upload, task] = server.received.filter((sent) => sent.taskType !== 'authentication' && sent.taskType !== 'ping');
    expect(upload).toMatchObject({ taskType: 'mediaStorage', operation: 'upload', media: expect.stringMatching(/^data:image\/png;base64,/) });
    expect(task).toMatchObject({ taskType: 'removeBackground', inputs: { image: 'f2b1d0e4-5a3c-4e7b-9d8f-0a1b2c3d4e5f' } });
    expect(result?.imageUUID).toBeDefined();
  });

  it('fail the request, naming the field, when a file cannot be read; nothing is sent', async () => {
    const server = await toolServer();
    const error = await failure(client(server).upscale({ inputImage: fromFile('/nonexistent/photo.png'), upscaleFactor: 2 }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(error.message).toContain('inputImage could not be read');
    expect(server.received.filter((task) => task.taskType === 'upscale')).toEqual([]);
  });

  it('need the input in one of its places: inputImage or inputs.image', async () => {
    const server = await toolServer();
    const error = await failure(client(server).upscale({ upscaleFactor: 2 }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage' });
    expect(error.message).toContain('inputImage or inputs.image is required');
  });
});

describe('cost', () => {
  it('is summed on the promise’s results when the items come with theirs', async () => {
    const sim = await simulator({ media: false });
    const images = await simulatorClient(sim).imageInference({ ...image, numberResults: 3, includeCost: true });
    const sum = images.reduce((total, item) => total + (item.cost ?? 0), 0);
    expect(images.cost).toBeCloseTo(sum, 10);
    expect(images.cost).toBeGreaterThan(0);
    // Not a field of the list when it is sent on: the items are.
    expect(JSON.parse(JSON.stringify(images))).toHaveLength(3);
  });
});
