import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MediaSource } from 'runware-rx';
import { MEDIA_SOURCE, createRunware, isRunwareError } from 'runware-rx';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { loopbackHttp } from '../support/loopback-http.js';
import { client, received, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

const video = { model: 'klingai:5@3', positivePrompt: 'a paper boat on a stream', duration: 5 };
const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };
const streamed = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' as const };

const serve = loopbackHttp();

/** A server that authenticates and never answers a task, and when the first task has arrived. */
const holding = async (): Promise<{ server: HostileServer; arrived: Promise<Task> }> => {
  let first!: (task: Task) => void;
  const arrived = new Promise<Task>((resolve) => (first = resolve));
  const server = await startHostileServer(politeAuth((task) => first(task)));
  return { server, arrived };
};

describe('a signal', () => {
  it('given to an Observable method is refused, since unsubscribing is what cancels one, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const error = await lastValueFrom(runware.imageInference$(image, { signal: AbortSignal.abort() } as never)).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'validation', parameter: 'signal', message: expect.stringContaining('unsubscribe') });
    expect(received(sim, 'imageInference')).toBe(0);
  });

  it('given to a Promise method that is already aborted rejects at once, naming the task it would have been', async () => {
    const sim = await simulator({ media: false });
    const error = await client(sim).imageInference(image, { signal: AbortSignal.abort() }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'aborted', sent: false, taskUUID: expect.any(String) });
    expect(received(sim, 'imageInference')).toBe(0);
  });

  it('given as undefined changes nothing, on either method', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    expect(await runware.imageInference(image, { signal: undefined })).toHaveLength(1);
    expect(await runware.dryRun('imageInference', image, { signal: undefined })).toMatchObject({ taskType: 'imageInference' });
  });
});

describe('attach and getResponse', () => {
  it('refuse request options that say nothing of a task submitted before, instead of ignoring them', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const taskUUID = crypto.randomUUID();
    const attached = await runware.attach(taskUUID, { taskType: 'videoInference', retryFailed: true } as never).catch((failure: unknown) => failure);
    expect(attached).toMatchObject({ code: 'validation', parameter: 'retryFailed' });
    const looked = await runware.getResponse(taskUUID, { taskType: 'videoInference', strictParams: true } as never).catch((failure: unknown) => failure);
    expect(looked).toMatchObject({ code: 'validation', parameter: 'strictParams' });
    expect(received(sim, 'getResponse')).toBe(0);
  });
});

describe('an aborted request', () => {
  it('names the task it had sent, so that the caller can attach to it and still get the result', async () => {
    const sim = await simulator({ videoReadyAfterMs: 600, media: false });
    const runware = client(sim, { pollInterval: 50 });
    const controller = new AbortController();
    const pending = runware.videoInference(video, { signal: controller.signal });
    await waitFor(() => received(sim, 'getResponse') >= 1);
    controller.abort();
    const error: unknown = await pending.catch((failure: unknown) => failure);
    if (!isRunwareError(error) || error.taskUUID === undefined) throw new Error(`expected an aborted error naming its task, got ${String(error)}`);
    expect(error).toMatchObject({ code: 'aborted', sent: true });
    const videos = await runware.attach(error.taskUUID, { taskType: 'videoInference' });
    expect(videos).toEqual([expect.objectContaining({ taskUUID: error.taskUUID, videoUUID: expect.any(String) })]);
    expect(received(sim, 'videoInference')).toBe(1);
  });
});

describe('an aborted request over the socket', () => {
  it('says sent: true, naming the task, when its task frame reached the server before the abort', async () => {
    const { server, arrived } = await holding();
    const runware = createRunware({ apiKey: 'k', url: server.url });
    const controller = new AbortController();
    const pending = runware.imageInference(image, { signal: controller.signal });
    const task = await arrived;
    controller.abort();
    const error: unknown = await pending.catch((failure: unknown) => failure);
    await runware.disconnect();
    await server.close();
    expect(error).toMatchObject({ code: 'aborted', sent: true, taskUUID: task.taskUUID, message: expect.stringContaining('may still complete (and bill)') });
  });

  it('says sent: false when it still waited for a maxInFlight slot, and it is never sent', async () => {
    const { server, arrived } = await holding();
    const runware = createRunware({ apiKey: 'k', url: server.url, maxInFlight: 1 });
    const first = runware.imageInference(image).catch((failure: unknown) => failure);
    await arrived;
    const controller = new AbortController();
    const queued = runware.imageInference(image, { signal: controller.signal });
    controller.abort();
    const error: unknown = await queued.catch((failure: unknown) => failure);
    await runware.disconnect();
    await first;
    await server.close();
    expect(error).toMatchObject({ code: 'aborted', sent: false, message: expect.stringContaining('nothing was billed') });
    expect(server.received.filter(({ taskType }) => taskType === 'imageInference')).toHaveLength(1);
  });

  it('says sent: false when its media input was still being read, and it is never sent', async () => {
    const sim = await simulator({ media: false });
    let reading!: () => void;
    const read = new Promise<void>((resolve) => (reading = resolve));
    // An input whose bytes never come: the request is still preparing when it is aborted.
    const slow: MediaSource = {
      [MEDIA_SOURCE]: () => {
        reading();
        return new Promise(() => {});
      },
    };
    const controller = new AbortController();
    const pending = client(sim).upscale({ inputImage: slow, upscaleFactor: 2 }, { signal: controller.signal });
    await read;
    controller.abort();
    const error: unknown = await pending.catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'aborted', sent: false, taskUUID: expect.any(String), message: expect.stringContaining('nothing was billed') });
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('an aborted look-up of another task (getTaskDetails)', () => {
  it('names the task looked up, whether its signal was aborted already or it waited for a maxInFlight slot', async () => {
    const { server, arrived } = await holding();
    const runware = createRunware({ apiKey: 'k', url: server.url, maxInFlight: 1 });
    const target = crypto.randomUUID();
    const early = await runware.getTaskDetails({ taskUUID: target }, { signal: AbortSignal.abort() }).catch((failure: unknown) => failure);
    const first = runware.imageInference(image).catch((failure: unknown) => failure);
    await arrived;
    const controller = new AbortController();
    const queued = runware.getTaskDetails({ taskUUID: target }, { signal: controller.signal }).catch((failure: unknown) => failure);
    controller.abort();
    const late = await queued;
    await runware.disconnect();
    await first;
    await server.close();
    expect([early, late]).toEqual([expect.objectContaining({ code: 'aborted', sent: false, taskUUID: target }), expect.objectContaining({ code: 'aborted', sent: false, taskUUID: target })]);
    expect(server.received.filter(({ taskType }) => taskType === 'getTaskDetails')).toHaveLength(0);
  });
});

describe('a streamed answer aborted before its request was written', () => {
  it('fails with sent: false, and says nothing was billed, when the AbortSignal ends it while the key function is asked', async () => {
    let asked!: () => void;
    const askedOnce = new Promise<void>((resolve) => (asked = resolve));
    // The POST waits for the key, which never comes: nothing is written meanwhile.
    const apiKey = (): Promise<string> => {
      asked();
      return new Promise<string>(() => {});
    };
    const requests: string[] = [];
    const origin = await serve((incoming) => void requests.push(incoming.url ?? ''));
    const runware = createRunware({ apiKey, url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1` });
    const controller = new AbortController();
    const pending = runware.textInference(streamed, { signal: controller.signal });
    await askedOnce;
    controller.abort();
    const error: unknown = await pending.catch((failure: unknown) => failure);
    await runware.disconnect();
    expect(error).toMatchObject({ code: 'aborted', sent: false, taskUUID: expect.any(String), message: expect.stringContaining('nothing was billed') });
    expect(requests).toEqual([]);
  });
});
