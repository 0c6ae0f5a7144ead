import { lastValueFrom, toArray } from 'rxjs';
import { expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import { describeEachProfile } from '../support/profiles.js';
import { client, received, simulator } from '../support/simulator.js';
import { pause, waitFor } from '../support/wait-for.js';

const video = { model: 'klingai:5@3', positivePrompt: 'waves rolling onto a beach', duration: 5 };

describeEachProfile('videoInference against the simulator', (profile) => {
  it(`reports submitted, accepted, polled statuses ${profile === 'default' ? 'with' : 'without'} progress, then the result, in order`, async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 1200 });
    const events = await lastValueFrom(client(sim).video$(video).pipe(toArray()));
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['submitted', 'accepted']);
    expect(types.at(-1)).toBe('result');
    const statuses = events.filter((event) => event.type === 'status');
    const running = statuses.filter((status) => status.status === 'processing');
    expect(running.length).toBeGreaterThan(0);
    if (profile === 'default') expect(running.some((status) => typeof status.progress === 'number')).toBe(true);
    // The API reports progress mostly for training: a video runs with its progress unknown, and
    // the event says so by carrying no `progress` at all (not 0, not a guess).
    else for (const status of running) expect(status).not.toHaveProperty('progress');
    expect(statuses.map((status) => status.poll)).toEqual(statuses.map((_, index) => index + 1));
    const result = events.at(-1);
    if (result?.type !== 'result') throw new Error('no result');
    expect(result.item.videoURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
    const response = await fetch(result.item.videoURL ?? '');
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await response.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp');
  });

  it('resolves the promise with the videos once every one is ready', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 600, media: false });
    const videos = await client(sim).videoInference({ ...video, numberResults: 2 });
    expect(videos).toHaveLength(2);
    expect(new Set(videos.map((item) => item.videoUUID)).size).toBe(2);
  });

  it('stops polling as soon as the subscriber unsubscribes', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 60_000, media: false });
    const subscription = client(sim, { pollInterval: 50 }).video$(video).subscribe();
    await waitFor(() => received(sim, 'getResponse') >= 2);
    subscription.unsubscribe();
    const polls = received(sim, 'getResponse');
    await pause(600);
    expect(received(sim, 'getResponse')).toBe(polls);
  });

  it('rejects with aborted when the signal fires, and stops polling', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 60_000, media: false });
    const controller = new AbortController();
    const pending = client(sim, { pollInterval: 50 }).videoInference(video, { signal: controller.signal });
    await waitFor(() => received(sim, 'getResponse') >= 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    const polls = received(sim, 'getResponse');
    await pause(400);
    expect(received(sim, 'getResponse')).toBe(polls);
  });

  it('fails with the server error, its parameter and allowed values, when the duration is not supported', async () => {
    const sim = await simulator({ profile, media: false });
    const error: unknown = await client(sim).videoInference({ ...video, duration: 7 }).catch((failure: unknown) => failure);
    expect(isRunwareError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation', serverCode: 'unsupportedDuration', parameter: 'duration', taskType: 'videoInference' });
    expect((error as { details?: Record<string, unknown> }).details?.['allowedValues']).toEqual([5, 10]);
    expect(received(sim, 'getResponse')).toBe(0);
  });

  it('sends the polls of every video in flight together, one frame per round', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 1000, media: false });
    const runware = client(sim, { pollInterval: 300 });
    await runware.connect();
    const framesBefore = sim.stats().framesReceived;
    await Promise.all(Array.from({ length: 50 }, () => runware.videoInference(video)));
    const polls = sim.receivedTasks().filter((task) => task['taskType'] === 'getResponse');
    const frames = sim.stats().framesReceived - framesBefore;
    expect(polls.length).toBeGreaterThanOrEqual(50);
    // Polls of videos due together share a frame: far fewer frames than polls (a frame per poll
    // would make them equal). Exactly one frame per round is pinned in virtual time
    // (test/request/polling.test.ts) and counted by the bench; on a real clock, a video whose
    // answer comes after its next poll was due moves to the following time of its schedule, which
    // on a loaded machine can add a frame for it, so the count of rounds is not a bound here.
    expect(frames).toBeLessThan(polls.length / 4);
  });
});
