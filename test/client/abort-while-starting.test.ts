import sharp from 'sharp';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MediaSource } from 'runware-rx';
import { MEDIA_SOURCE } from 'runware-rx';
import { CONTEXT } from '../../src/client/task-methods.js';
import type { TaskContext } from '../../src/request/task-context.js';
import { client, simulator } from '../support/simulator.js';

/*
 * A Promise request starts as it is called: its parameters are read and copied, its media inputs
 * asked for. Code of the caller's that runs then (a getter, a MEDIA_SOURCE reader) may abort the
 * request's own signal; that abort ends the request as one fired a moment later would, instead
 * of being missed because the request was not listening yet.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };

describe('an abort fired while a Promise request starts', () => {
  it('by a getter of its parameters rejects with aborted, sent: false, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const controller = new AbortController();
    const params = {
      ...image,
      get positivePrompt(): string {
        controller.abort();
        return 'a lighthouse';
      },
    };
    const outcome = await client(sim)
      .imageInference(params, { signal: controller.signal })
      .then((results) => ({ results }), (error: unknown) => ({ error }));
    expect(outcome).toMatchObject({ error: { code: 'aborted', sent: false, taskUUID: expect.any(String), message: expect.stringContaining('nothing was billed') } });
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('by the reader of its media input rejects with aborted, sent: false, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const png = new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#2050c0' } }).png().toBuffer());
    const controller = new AbortController();
    // The bytes are there: only the abort can stop the request.
    const source: MediaSource = {
      [MEDIA_SOURCE]: () => {
        controller.abort();
        return Promise.resolve({ bytes: png, type: 'image/png' });
      },
    };
    const outcome = await client(sim)
      .upscale({ inputImage: source, upscaleFactor: 2 }, { signal: controller.signal })
      .then((results) => ({ results }), (error: unknown) => ({ error }));
    expect(outcome).toMatchObject({ error: { code: 'aborted', sent: false, taskUUID: expect.any(String), message: expect.stringContaining('nothing was billed') } });
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('by code the task runs once its media is read (a state$ subscriber) rejects with aborted once, and lets go of everything the request held', async () => {
    const sim = await simulator({ media: false });
    const png = new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#2050c0' } }).png().toBuffer());
    const runware = client(sim);
    // What is registered to be ended by disconnect(): a request that ended leaves it (its teardown).
    const context = (runware as unknown as Record<symbol, () => TaskContext>)[CONTEXT]!();
    const registered = new Set<unknown>();
    const { enter, leave } = context.requests;
    context.requests.enter = (request) => {
      registered.add(request);
      enter(request);
    };
    context.requests.leave = (request) => {
      registered.delete(request);
      leave(request);
    };
    const controller = new AbortController();
    // The task, once its bytes are read, dials the socket: a subscriber of the state aborts then.
    runware.state$.subscribe((state) => {
      if (state.type === 'connecting') controller.abort();
    });
    const source: MediaSource = { [MEDIA_SOURCE]: () => Promise.resolve({ bytes: png, type: 'image/png' }) };
    const rejections: unknown[] = [];
    await runware.upscale({ inputImage: source, upscaleFactor: 2 }, { signal: controller.signal }).then(
      () => undefined,
      (error: unknown) => void rejections.push(error),
    );
    expect(rejections).toEqual([expect.objectContaining({ code: 'aborted', sent: false, taskUUID: expect.any(String) })]);
    // The request it started is ended too: it holds no registry entry (nor a maxInFlight slot, nor a deadline).
    expect(registered.size).toBe(0);
  });
});

describe('disconnect() called while a request starts', () => {
  it('by the logger, on the warning about an unknown field, ends the request with aborted, sent: false, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, {
      logger: (record) => {
        if (record.event === 'param.unknown') void runware.disconnect();
      },
    });
    const outcome = await runware.imageInference({ ...image, stepz: 20 } as never).then((results) => ({ results }), (error: unknown) => ({ error }));
    expect(outcome).toMatchObject({ error: { code: 'aborted', sent: false, taskUUID: expect.any(String) } });
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('by a getter of its parameters ends the Observable request with aborted, sent: false, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const params = {
      ...image,
      get positivePrompt(): string {
        void runware.disconnect();
        return 'a lighthouse';
      },
    };
    const outcome = await lastValueFrom(runware.imageInference$(params)).then((event) => ({ event }), (error: unknown) => ({ error }));
    expect(outcome).toMatchObject({ error: { code: 'aborted', sent: false, taskUUID: expect.any(String) } });
    expect(sim.receivedTasks()).toEqual([]);
  });
});
