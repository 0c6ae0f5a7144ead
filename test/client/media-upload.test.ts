import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import type { Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { client, received, simulator } from '../support/simulator.js';
import { pause, waitFor } from '../support/wait-for.js';

/*
 * A request whose input is given as bytes is encoded first, and uploaded first when it is large
 * (mediaStorage, then the request with the UUID). That preparation is part of the request: it
 * ends with disconnect(), counts against the request's timeout, fails with the code of what
 * failed it, and is left out of a dry run, which stores nothing.
 */

const picture = async (): Promise<Uint8Array> =>
  new Uint8Array(await sharp({ create: { width: 32, height: 32, channels: 3, background: '#2050c0' } }).png().toBuffer());

describe('a request whose media is being prepared', () => {
  it('ends with aborted on disconnect() while its bytes are encoded, and nothing is sent or dialled afterwards', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const states: string[] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    const png = await picture();
    const request = runware.upscale({ inputImage: png, upscaleFactor: 2 }).then(
      () => 'resolved',
      (error: { code?: string; sent?: boolean }) => `${error.code} sent: ${error.sent}`,
    );
    await runware.disconnect();
    const closedAt = states.length;
    const outcome = await request;
    // Whatever was still to come would have come by now: a socket opens within milliseconds here.
    await pause(50);
    expect({ outcome, upscalesReceived: received(sim, 'upscale'), statesAfterDisconnect: states.slice(closedAt) }).toEqual({
      outcome: 'aborted sent: false',
      upscalesReceived: 0,
      statesAfterDisconnect: [],
    });
  });

  it('ends its upload with it when its signal is aborted as the upload starts (by a state$ subscriber told the upload dials)', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { uploadThreshold: 0 });
    const png = await picture();
    const controller = new AbortController();
    // The upload is the client's first task: starting it dials, and `connecting` is told then.
    const watching = runware.state$.subscribe((state) => {
      if (state.type === 'connecting') controller.abort();
    });
    const outcome = await runware.upscale({ inputImage: png, upscaleFactor: 2 }, { signal: controller.signal }).catch((error: unknown) => error);
    watching.unsubscribe();
    expect(outcome).toMatchObject({ code: 'aborted', sent: false });
    // A request after it, on the same socket: an upload of the first would have reached the server before this one's.
    await runware.upscale({ inputImage: png, upscaleFactor: 2 });
    expect(received(sim, 'mediaStorage')).toBe(1);
    expect(received(sim, 'upscale')).toBe(1);
  });

  it('ends with aborted when the client disconnects during the upload', async () => {
    const sim = await simulator({ media: false });
    // The upload is answered with a server error and would wait 5 s before it is sent again.
    const runware = client(sim, { uploadThreshold: 0, retryDelay: 5000 });
    sim.faults.serverErrorBurst(1);
    const request = runware.upscale({ inputImage: await picture(), upscaleFactor: 2 }).catch((error: unknown) => error);
    await waitFor(() => received(sim, 'mediaStorage') >= 1);
    await runware.disconnect();
    expect(await request).toMatchObject({ code: 'aborted', sent: false, taskType: 'upscale' });
    expect(received(sim, 'upscale')).toBe(0);
  });

  it('ends with the rate limit that failed its upload, naming the input, not with a validation error', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { uploadThreshold: 0, maxRetries: 0 });
    sim.faults.rateLimitBurst(1);
    const error = await runware.upscale({ inputImage: await picture(), upscaleFactor: 2 }).catch((failure: unknown) => failure);
    expect(received(sim, 'upscale')).toBe(0);
    expect(error).toMatchObject({ code: 'rateLimit', sent: false, parameter: 'inputImage', taskType: 'upscale', message: expect.stringContaining('inputImage could not be uploaded') });
  });

  it('is bounded by the request’s timeout: a silent server ends it with the whole-task deadline', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { uploadThreshold: 0, answerTimeout: 3000, maxRetries: 0 });
    await runware.connect();
    // The server goes silent (half-open): nothing it is sent is ever answered.
    sim.faults.freeze();
    const error = await runware.upscale({ inputImage: await picture(), upscaleFactor: 2 }, { timeout: 300 }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'timeout', phase: 'total', sent: false, taskType: 'upscale' });
  });

  it('keeps the one deadline once its upload is done: a task never answered ends with the caller’s timeout, sent', async () => {
    // Stores media at once and never answers anything else.
    const server = await startHostileServer(
      politeAuth((task: Task, socket) => {
        if (task.taskType === 'mediaStorage') socket.send(JSON.stringify({ data: [{ taskType: 'mediaStorage', taskUUID: task.taskUUID, operation: 'upload', mediaUUID: 'f2b1d0e4-5a3c-4e7b-9d8f-0a1b2c3d4e5f' }] }));
      }),
    );
    const runware = createRunware({ apiKey: 'test-key-0001', url: server.url, uploadThreshold: 0, answerTimeout: 60_000, maxRetries: 0 });
    try {
      const error = await runware.upscale({ inputImage: await picture(), upscaleFactor: 2 }, { timeout: 400 }).catch((failure: unknown) => failure);
      expect(error).toMatchObject({ code: 'timeout', phase: 'total', timeoutMs: 400, sent: true, taskType: 'upscale' });
      expect(server.received.filter((task) => task.taskType === 'upscale')).toHaveLength(1);
    } finally {
      await runware.disconnect();
      await server.close();
    }
  });

  it('waits for its maxInFlight slot like any request: the wait does not count against its timeout, only its preparation does', async () => {
    // Holds every imageInference unanswered; answers an upscale at once.
    const server = await startHostileServer(
      politeAuth((task: Task, socket) => {
        if (task.taskType === 'upscale') socket.send(JSON.stringify({ data: [{ taskType: 'upscale', taskUUID: task.taskUUID, imageUUID: 'a3c1f0e2-4b5d-4e6f-8a7b-9c0d1e2f3a4b', imageURL: 'https://example.com/up.png' }] }));
      }),
    );
    const runware = createRunware({ apiKey: 'test-key-0001', url: server.url, maxInFlight: 1, maxRetries: 0 });
    try {
      const holder = new AbortController();
      const held = runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' }, { signal: holder.signal }).catch(() => 'aborted');
      await waitFor(() => server.received.some((task) => task.taskType === 'imageInference'));
      const upscaled = runware.upscale({ inputImage: await picture(), upscaleFactor: 2 }, { timeout: 400 }).then(
        (results) => results.length,
        (error: { code?: string; phase?: string; sent?: boolean }) => `${error.code} ${error.phase} sent: ${error.sent}`,
      );
      // Longer in the queue than its timeout, behind the request that holds the one slot.
      await pause(600);
      holder.abort();
      expect(await held).toBe('aborted');
      expect(await upscaled).toBe(1);
    } finally {
      await runware.disconnect();
      await server.close();
    }
  });

  it('is priced by a dry run like the same request, with its bytes inline instead of uploaded', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { uploadThreshold: 0 });
    const inputImage = await picture();
    const [real] = await runware.upscale({ inputImage, upscaleFactor: 2 });
    expect(real?.imageUUID).toEqual(expect.any(String));
    const uploads = received(sim, 'mediaStorage');
    const priced = await runware.dryRun('upscale', { inputImage, upscaleFactor: 2 });
    expect(priced).toMatchObject({ taskType: 'upscale' });
    expect(received(sim, 'mediaStorage')).toBe(uploads);
  });
});
