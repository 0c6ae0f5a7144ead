import { filter, firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { expect, it } from 'vitest';
import type { ConnectionState, LogRecord, TaskEvent } from 'runware-rx';
import { FAST_RECOVERY } from '../support/resilient-client.js';
import { describeEachProfile } from '../support/profiles.js';
import { client, received, simulator } from '../support/simulator.js';

const image = { model: 'runware:101@1', positivePrompt: 'a storm over the sea', width: 256, height: 256 };
const video = { model: 'klingai:5@3', positivePrompt: 'a storm over the sea', duration: 5 };

const resultsOf = (events: readonly TaskEvent[]) => events.filter((event) => event.type === 'result');

describeEachProfile('the client under injected faults', (profile) => {
  it('recovers from a half-open socket within a second and loses no task', async () => {
    const sim = await simulator({ profile, media: false, imageLatencyMs: 300, videoReadyAfterMs: 600 });
    const runware = client(sim, FAST_RECOVERY);
    await runware.connect();
    const reopened = firstValueFrom(runware.state$.pipe(filter((state: ConnectionState) => state.type === 'open' && state.resumed)));
    const work = merge(
      ...Array.from({ length: 20 }, (_, index) => runware.image$({ ...image, positivePrompt: `image ${index}` })),
      ...Array.from({ length: 5 }, () => runware.video$(video)),
    ).pipe(toArray());
    const pending = lastValueFrom(work);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const frozenAt = performance.now();
    expect(sim.faults.freeze()).toBe(1);
    await reopened;
    const recoveredAfter = performance.now() - frozenAt;
    const events = await pending;
    const results = resultsOf(events);
    expect(results).toHaveLength(25);
    expect(new Set(results.map((event) => event.taskUUID)).size).toBe(25);
    // Not a performance assertion: a hang guard, far above the ~500 ms the settings allow.
    expect(recoveredAfter).toBeLessThan(5000);
    console.log(`half-open socket detected and replaced ${recoveredAfter.toFixed(0)} ms after the freeze`);
  });

  it('loses nothing when the socket drops abruptly with tasks in flight', async () => {
    const sim = await simulator({ profile, media: false, imageLatencyMs: 200, videoReadyAfterMs: 400 });
    const runware = client(sim, FAST_RECOVERY);
    await runware.connect();
    const pending = Promise.all([
      ...Array.from({ length: 10 }, () => runware.imageInference(image)),
      runware.videoInference({ ...video, numberResults: 2 }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sim.faults.drop({ closeFrame: false });
    const settled = await pending;
    expect(settled.map((items) => items.length)).toEqual([...Array.from({ length: 10 }, () => 1), 2]);
  });

  it('retries rate-limited submissions with the same taskUUID until they run, once each', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim, FAST_RECOVERY);
    await runware.connect();
    sim.faults.rateLimitBurst(10);
    const events = await lastValueFrom(merge(...Array.from({ length: 20 }, () => runware.image$(image))).pipe(toArray()));
    expect(resultsOf(events)).toHaveLength(20);
    const retries = events.filter((event) => event.type === 'retrying');
    expect(retries).toHaveLength(10);
    expect(retries.every((event) => event.type === 'retrying' && event.error.code === 'rateLimit')).toBe(true);
    expect(received(sim, 'imageInference')).toBe(30);
    expect(sim.faults.counts().rateLimit).toBe(10);
  });

  it('polls a video whose acknowledgement never came, after the re-sent submission meets conflictTaskUUID', async () => {
    const sim = await simulator({ profile, media: false, videoReadyAfterMs: 300 });
    const runware = client(sim, FAST_RECOVERY);
    sim.faults.dropAcks(3);
    const events = await lastValueFrom(merge(...Array.from({ length: 3 }, () => runware.video$(video))).pipe(toArray()));
    expect(resultsOf(events)).toHaveLength(3);
    const retries = events.filter((event) => event.type === 'retrying');
    expect(retries.map((event) => event.type === 'retrying' && event.error.code)).toEqual(['timeout', 'timeout', 'timeout']);
    // Each video was submitted twice with the same taskUUID, and run once.
    expect(received(sim, 'videoInference')).toBe(6);
  });

  it('fails at once on a provider timeout the server reports for a task it took, without re-sending it', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim, FAST_RECOVERY);
    sim.faults.failNextItems(1);
    const events: TaskEvent[] = [];
    const error: unknown = await new Promise((resolve) => runware.image$(image).subscribe({ next: (event) => events.push(event), error: resolve }));
    expect(error).toMatchObject({ code: 'timeout', serverCode: 'timeoutProvider', sent: true });
    expect(events.map((event) => event.type)).toEqual(['submitted']);
    expect(received(sim, 'imageInference')).toBe(1);
    expect(received(sim, 'getResponse')).toBe(0);
  });

  it('re-runs a failed task under a new taskUUID when retryFailed allows it, saying it is a new task', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim, FAST_RECOVERY);
    sim.faults.failNextItems(1);
    const events = await lastValueFrom(runware.image$({ ...image, numberResults: 2 }, { retryFailed: true }).pipe(toArray()));
    const [first] = events;
    const retry = events.find((event) => event.type === 'retrying');
    expect(retry).toMatchObject({ type: 'retrying', newTask: true, error: { serverCode: 'timeoutProvider' } });
    expect(retry?.taskUUID).not.toBe(first?.taskUUID);
    const results = resultsOf(events);
    expect(results.map((result) => result.index)).toEqual([0, 1]);
    expect(new Set(results.map((result) => (result.item as { imageUUID: string }).imageUUID)).size).toBe(2);
    // The new task asked only for the results still missing when the first one failed (the failed
    // generation may come before or after the other one, by profile).
    const before = events.slice(0, events.indexOf(retry!)).filter((event) => event.type === 'result').length;
    const submissions = sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference');
    expect(submissions.map((task) => task['numberResults'])).toEqual([2, 2 - before]);
    expect(submissions[1]?.['taskUUID']).toBe(retry?.taskUUID);
  });

  it('settles a request item by item when asked, reporting the failed one beside the others', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim, FAST_RECOVERY);
    sim.faults.failNextItems(1);
    const items = await runware.imageInference({ ...image, numberResults: 3 }, { settled: true });
    expect(items.map((item) => item.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const failed = items.find((item) => item.status === 'rejected');
    expect(failed?.status === 'rejected' && failed.reason.serverCode).toBe('timeoutProvider');
    // The server ran the task: the failure says so and names it, as every request error does.
    const [submitted] = sim.receivedTasks().filter((task) => task.taskType === 'imageInference');
    expect(failed?.status === 'rejected' && { sent: failed.reason.sent, taskUUID: failed.reason.taskUUID }).toEqual({ sent: true, taskUUID: submitted?.taskUUID });
  });

  it('ignores garbage, unroutable errors and duplicated results, logging them', async () => {
    const sim = await simulator({ profile, media: false, imageLatencyMs: 20 });
    const logged: LogRecord[] = [];
    const runware = client(sim, { ...FAST_RECOVERY, logger: (record) => logged.push(record) });
    await runware.connect();
    sim.faults.duplicateResults(5);
    const pending = lastValueFrom(merge(...Array.from({ length: 5 }, () => runware.image$(image))).pipe(toArray()));
    sim.faults.sendGarbage();
    sim.faults.sendUnroutableError({ code: 'internalServerError', message: 'something broke' });
    const events = await pending;
    expect(resultsOf(events)).toHaveLength(5);
    expect(sim.faults.counts().duplicate).toBeGreaterThan(0);
    expect(logged.some((record) => record.event === 'frame.invalid')).toBe(true);
    expect(logged.some((record) => record.event === 'error.unroutable' && record.detail.includes('something broke'))).toBe(true);
  });

  it('delivers each result of a multi-result task once when its frames are duplicated while it runs', async () => {
    const sim = await simulator({ profile, media: false, imageLatencyMs: 20 });
    const runware = client(sim, FAST_RECOVERY);
    await runware.connect();
    // Realistic profile: one frame per result, so a duplicated frame repeats one result of a task
    // whose other results are still to come; only de-duplication keeps it from counting twice.
    sim.faults.duplicateResults(10);
    const batches = await Promise.all(
      Array.from({ length: 4 }, (_, index) => runware.imageInference({ ...image, positivePrompt: `image ${index}`, numberResults: 3 })),
    );
    for (const batch of batches) {
      expect(batch).toHaveLength(3);
      expect(new Set(batch.map((item) => item.imageUUID)).size).toBe(3);
    }
    expect(sim.faults.counts().duplicate).toBeGreaterThan(0);
  });

  it('dials again when authentication after a reconnect takes longer than authTimeout', async () => {
    const sim = await simulator({ profile, media: false, imageLatencyMs: 300 });
    const runware = client(sim, { ...FAST_RECOVERY, authTimeout: 300 });
    const states: ConnectionState['type'][] = [];
    runware.state$.subscribe((state) => states.push(state.type));
    await runware.connect();
    const pending = runware.imageInference(image);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sim.faults.delayAuth(1000, 1);
    sim.faults.drop();
    await expect(pending).resolves.toHaveLength(1);
    // First socket, the reconnect whose authentication was too slow, and the one that worked.
    expect(states.filter((state) => state === 'authenticating').length).toBeGreaterThanOrEqual(3);
  });

  it('retries a burst of server errors', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim, FAST_RECOVERY);
    sim.faults.serverErrorBurst(3);
    const images = await Promise.all(Array.from({ length: 3 }, () => runware.imageInference(image)));
    expect(images.flat()).toHaveLength(3);
    expect(received(sim, 'imageInference')).toBe(6);
  });
});
