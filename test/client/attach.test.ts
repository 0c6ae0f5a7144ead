import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { expect, it } from 'vitest';
import { describeEachProfile } from '../support/profiles.js';
import { client, received, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

const video = { model: 'klingai:5@3', positivePrompt: 'a lantern festival on a river', duration: 5 };

describeEachProfile('attach', (profile) => {
  it('picks up a video submitted by another client, without submitting it again', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 800, media: false });
    const accepted = await firstValueFrom(client(sim).video$(video).pipe(filter((event) => event.type === 'accepted')));
    // The first client is gone (a page reload, another process); a new one attaches by taskUUID.
    const later = client(sim);
    const events = await lastValueFrom(later.attach$(accepted.taskUUID, { taskType: 'videoInference' }).pipe(toArray()));
    const result = events.at(-1);
    expect(result?.type).toBe('result');
    if (result?.type === 'result') expect(result.item.videoUUID).toBeDefined();
    expect(events.some((event) => event.type === 'submitted')).toBe(false);
    expect(received(sim, 'videoInference')).toBe(1);
  });

  it('resolves at once with a task that finished long ago', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 100, media: false });
    const [done] = await client(sim).videoInference(video);
    const started = performance.now();
    const videos = await client(sim, { pollInterval: 10_000 }).attach(done?.taskUUID ?? '', { taskType: 'videoInference' });
    expect(videos.map((item) => item.videoUUID)).toEqual([done?.videoUUID]);
    // The first poll of an attach is immediate, not after pollInterval (10 s here).
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('names the task it watched when aborted, and says it was sent: the server has it and may bill it', async () => {
    const sim = await simulator({ profile, videoReadyAfterMs: 60_000, media: false });
    const accepted = await firstValueFrom(client(sim).video$(video).pipe(filter((event) => event.type === 'accepted')));
    const watcher = new AbortController();
    const attached = client(sim, { pollInterval: 50 }).attach(accepted.taskUUID, { taskType: 'videoInference', signal: watcher.signal }).catch((error: unknown) => error);
    const polls = received(sim, 'getResponse');
    await waitFor(() => received(sim, 'getResponse') > polls);
    watcher.abort();
    expect(await attached).toMatchObject({ code: 'aborted', taskUUID: accepted.taskUUID, sent: true, message: expect.stringContaining('which was sent') });
  });

  it('says the same of a getResponse aborted before it began', async () => {
    const sim = await simulator({ profile, media: false });
    const taskUUID = crypto.randomUUID();
    const error = await client(sim).getResponse(taskUUID, { taskType: 'videoInference', signal: AbortSignal.abort() }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'aborted', taskUUID, sent: true });
  });

  it('fails with notFound for a taskUUID the server does not know', async () => {
    const sim = await simulator({ profile, media: false });
    const unknown = crypto.randomUUID();
    await expect(client(sim).attach(unknown, { taskType: 'videoInference' })).rejects.toMatchObject({
      code: 'notFound',
      serverCode: 'taskNotFound',
      taskUUID: unknown,
    });
  });

  it('refuses a taskUUID that is not a UUID, before sending anything', async () => {
    const sim = await simulator({ profile, media: false });
    await expect(client(sim).attach('not-a-uuid', { taskType: 'videoInference' })).rejects.toMatchObject({
      code: 'validation',
      parameter: 'taskUUID',
    });
    expect(received(sim, 'getResponse')).toBe(0);
  });
});
