import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * Answers are routed by taskUUID, so two requests of one client under one taskUUID would read
 * each other's results, and a second submission of a task already sent is answered with
 * `conflictTaskUUID`. A request under a taskUUID the caller chose (the `taskUUID` option) while a
 * request of the same client under it is still running is therefore refused before anything is
 * sent, naming the taskUUID, and the first goes on as if it had not been made. Watching a task in
 * flight is what `attach` is for: it shares the task's answers, as it always has.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };
const imagesSent = (sim: Awaited<ReturnType<typeof simulator>>, taskUUID: string) =>
  sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference' && task['taskUUID'] === taskUUID);

describe('a taskUUID chosen by the caller while a request under it is running', () => {
  it('is refused for the second request, naming the taskUUID, and nothing of it is sent; the first is untouched', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const taskUUID = randomUUID();
    const first = runware.imageInference({ ...image, numberResults: 2 }, { taskUUID });
    const error = await runware.imageInference({ ...image, positivePrompt: 'a harbour at dawn' }, { taskUUID }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'validation', parameter: 'taskUUID', taskUUID, taskType: 'imageInference', sent: false, retryable: false });
    expect((error as Error).message).toContain(taskUUID);
    const results = await first;
    expect(results).toHaveLength(2);
    expect(results.every((result) => result.taskUUID === taskUUID)).toBe(true);
    expect(imagesSent(sim, taskUUID)).toEqual([expect.objectContaining({ positivePrompt: image.positivePrompt, numberResults: 2 })]);
  });

  it('is refused for a second subscription of the same request stream', async () => {
    const sim = await simulator({ media: false });
    const taskUUID = randomUUID();
    const request$ = client(sim).imageInference$(image, { taskUUID });
    const first = lastValueFrom(request$.pipe(toArray()));
    await expect(lastValueFrom(request$)).rejects.toMatchObject({ code: 'validation', parameter: 'taskUUID', taskUUID, sent: false });
    expect((await first).filter((event) => event.type === 'result')).toHaveLength(1);
    expect(imagesSent(sim, taskUUID)).toHaveLength(1);
  });

  it('is free again once the first request has ended, however it ended', async () => {
    const sim = await simulator({ media: false, imageLatencyMs: 60_000 });
    const runware = client(sim);
    const taskUUID = randomUUID();
    const stop = new AbortController();
    const first = runware.imageInference(image, { taskUUID, signal: stop.signal }).catch((caught: unknown) => caught);
    stop.abort();
    expect(await first).toMatchObject({ code: 'aborted', taskUUID });
    const again = firstValueFrom(runware.imageInference$(image, { taskUUID }));
    await expect(again).resolves.toMatchObject({ type: 'submitted', taskUUID });
  });

  it('is free already when the observer hears that the first request ended, so the request may be made again from there', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    const taskUUID = randomUUID();
    const again = await new Promise<unknown>((resolve) => {
      runware.imageInference$(image, { taskUUID }).subscribe({
        complete: () => void firstValueFrom(runware.imageInference$(image, { taskUUID }).pipe(filter((event) => event.type === 'result'))).then(resolve, resolve),
      });
    });
    // Sent again and answered (the server has that task): not refused here.
    expect(again).not.toBeInstanceOf(ValidationError);
    expect(again).toMatchObject({ type: 'result', item: expect.objectContaining({ taskUUID }) });
    expect(imagesSent(sim, taskUUID)).toHaveLength(2);
  });

  it('is not refused for attach, which watches the task and shares its answers', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 300 });
    const runware = client(sim, { pollInterval: 50 });
    const taskUUID = randomUUID();
    const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };
    const submitted = runware.videoInference(video, { taskUUID });
    await firstValueFrom(runware.attach$(taskUUID, { taskType: 'videoInference' }).pipe(filter((event) => event.type === 'status')));
    const watched = await runware.attach(taskUUID, { taskType: 'videoInference' });
    const [made] = await submitted;
    expect(watched.map((item) => item.videoUUID)).toEqual([made?.videoUUID]);
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'videoInference')).toHaveLength(1);
  });
});
