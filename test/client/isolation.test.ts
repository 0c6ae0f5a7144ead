import { config, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, expect, it } from 'vitest';
import { describeEachProfile } from '../support/profiles.js';
import { client, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

const image = { model: 'runware:101@1', positivePrompt: 'a quiet library', width: 256, height: 256 };
const originalHandler = config.onUnhandledError;

afterEach(() => {
  config.onUnhandledError = originalHandler;
});

describeEachProfile('isolation between requests', (profile) => {
  it('keeps delivering to other requests when one subscriber throws', async () => {
    const reported: unknown[] = [];
    // RxJS reports errors thrown by subscribers here instead of rethrowing them.
    config.onUnhandledError = (error) => reported.push(error);
    const sim = await simulator({ profile, media: false });
    const runware = client(sim);
    // Its own request carries on too: it completes (with the realistic profile's latencies it may
    // be the last to finish, so the test waits for it rather than disconnecting under it).
    let thrown = 0;
    const throwerDone = new Promise<void>((resolve) => {
      runware.image$({ ...image, positivePrompt: 'the one that throws' }).subscribe({
        next: () => {
          thrown += 1;
          throw new Error('a user callback failed');
        },
        complete: resolve,
      });
    });
    const others = await Promise.all(
      Array.from({ length: 5 }, (_, index) => runware.imageInference({ ...image, positivePrompt: `bystander ${index}` })),
    );
    expect(others.every((images) => images.length === 1)).toBe(true);
    await waitFor(() => reported.length > 0);
    expect(String(reported[0])).toContain('a user callback failed');
    // The connection is still healthy for new requests.
    await expect(runware.imageInference(image)).resolves.toHaveLength(1);
    await throwerDone;
    // RxJS reports each throw on a timer: wait for all of them while this test's handler is set.
    await waitFor(() => reported.length === thrown);
  });

  it('fails only the request a server error is addressed to', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim);
    const [bad, good] = await Promise.allSettled([
      runware.imageInference({ ...image, width: 1000 }),
      runware.imageInference(image),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'validation', parameter: 'width' } });
    expect(good).toMatchObject({ status: 'fulfilled' });
  });

  it('gives each subscription to the same request stream its own task', async () => {
    const sim = await simulator({ profile, media: false });
    const stream$ = client(sim).image$(image);
    const [first, second] = await Promise.all([lastValueFrom(stream$.pipe(toArray())), lastValueFrom(stream$.pipe(toArray()))]);
    const uuidOf = (events: typeof first) => events[0]?.taskUUID;
    expect(uuidOf(first)).not.toBe(uuidOf(second));
    expect(await firstValueFrom(stream$)).toMatchObject({ type: 'submitted' });
  });
});
