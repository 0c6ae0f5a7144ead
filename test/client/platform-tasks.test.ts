import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import { client, received, simulator } from '../support/simulator.js';

/*
 * The platform tasks of issue 13 through runware-rx against the simulator: model search and
 * upload, training, the account, task details, the dry run and cost. Streams show every phase; a
 * promise resolves on the final one only.
 */

const LORA = { category: 'lora', architecture: 'flux1d', air: 'runware:4242@1', name: 'Client style', version: '1', downloadURL: 'https://example.com/style.safetensors' } as const;

describe('modelSearch', () => {
  it('resolves with a page, every entry with tags and private, and pages through offset', async () => {
    const runware = client(await simulator({ media: false }));
    const [page] = await runware.modelSearch({ search: 'flux', limit: 5 });
    expect(page?.results.length).toBeGreaterThan(0);
    expect(page?.results.every((model) => Array.isArray(model.tags) && typeof model.private === 'boolean')).toBe(true);
    const [all] = await runware.modelSearch({ category: 'checkpoint', limit: 100 });
    const [next] = await runware.modelSearch({ category: 'checkpoint', limit: 100, offset: 100 });
    expect(next?.totalResults).toBe(all?.totalResults);
    expect(next?.results[0]?.air).not.toBe(all?.results[0]?.air);
  });
});

describe('modelUpload', () => {
  it('streams each phase as a partial event, resolves on ready only, and the model is then found', async () => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 100 }));
    const events: TaskEvent<unknown, unknown>[] = await lastValueFrom(runware.modelUpload$(LORA).pipe(toArray()));
    const phases = events.flatMap((event) => (event.type === 'partial' || event.type === 'result' ? [(event.item as { status: string }).status] : []));
    expect(phases).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
    expect(events.filter((event) => event.type === 'result')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('result');

    const [ready] = await runware.uploadModel({ ...LORA, air: 'runware:4243@1' });
    expect(ready).toMatchObject({ status: 'ready', air: 'runware:4243@1' });
    const [mine] = await runware.modelSearch({ visibility: 'private' });
    expect(mine?.results.map((model) => model.air).sort()).toEqual(['runware:4242@1', 'runware:4243@1']);
  });

  it('rejects when the download fails, after the validated phase', async () => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 50 }));
    await expect(runware.modelUpload({ ...LORA, downloadURL: 'https://models.invalid/x.safetensors' })).rejects.toMatchObject({ serverCode: 'downloadFailed' });
  });
});

describe('training', () => {
  it('is polled with progress to the trained model, and the promise resolves with it', async () => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 400 }));
    const events = await lastValueFrom(runware.training$({ model: 'runware:trainer@1', importModel: { air: 'runware:5151@1', name: 'trained' }, inputs: { dataset: 'https://example.com/set.zip' } }).pipe(toArray()));
    const progress = events.flatMap((event) => (event.type === 'status' && event.progress !== undefined ? [event.progress] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { air: 'runware:5151@1', outputs: { files: [{ url: expect.stringMatching(/\.safetensors$/) }] } } });
  });
});

describe('accountManagement and getTaskDetails', () => {
  it('gives the balance, and the request and response of a task run before', async () => {
    const runware = client(await simulator({ media: false }));
    const [image] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512, seed: 9 });
    const [account] = await runware.accountManagement({ operation: 'getDetails' });
    expect(account?.balance).toMatchObject({ currency: 'USD', amount: expect.any(Number) });
    const [details] = await runware.getTaskDetails({ taskUUID: image!.taskUUID });
    expect(details?.request[0]).toMatchObject({ taskType: 'imageInference', positivePrompt: 'a lighthouse', seed: 9 });
    expect(details?.response.data?.[0]).toMatchObject({ imageUUID: image!.imageUUID, status: 'success' });
  });
});

describe('cost and the dry run', () => {
  it('sums the cost over the results with includeCost, and dryRun prices the same request without running it', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const request = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 1024, height: 1024, numberResults: 3, includeCost: true };
    const images = await runware.imageInference(request);
    expect(images.cost).toBeCloseTo(images.reduce((sum, image) => sum + (image.cost ?? 0), 0), 9);
    const priced = await runware.dryRun('imageInference', request);
    expect(priced.cost).toBeCloseTo(images.cost!, 9);
    // Priced, not run: still one imageInference generated three images; the dry one made none.
    expect(received(sim, 'imageInference')).toBe(2);
    const stats = sim.stats();
    expect(stats.tasksReceived['imageInference']).toBe(2);
  });

  it('dryRun of an async task (video) is one priced answer, not polled', async () => {
    const sim = await simulator({ media: false });
    const priced = await client(sim).dryRun('videoInference', { model: 'klingai:5@3', positivePrompt: 'waves', duration: 10 });
    expect(priced).toMatchObject({ taskType: 'videoInference', cost: expect.any(Number) });
    expect(received(sim, 'getResponse')).toBe(0);
  });

  it('getResponse asks once for the state of a task submitted with its own taskUUID, without waiting for it', async () => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 60_000 }));
    const taskUUID = crypto.randomUUID();
    const running = runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 }, { taskUUID }).catch(() => undefined);
    let state = await runware.getResponse(taskUUID, { taskType: 'videoInference' }).catch(() => undefined);
    // The first look can come before the submission: a bounded number of looks.
    for (let look = 0; look < 50 && state === undefined; look++) state = await runware.getResponse(taskUUID, { taskType: 'videoInference' }).catch(() => undefined);
    expect(state).toMatchObject({ taskUUID, status: 'processing', results: [] });
    await runware.disconnect();
    await running;
  });
});
