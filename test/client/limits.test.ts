import { lastValueFrom, merge, scan, tap, toArray } from 'rxjs';
import { expect, it } from 'vitest';
import { describeEachProfile } from '../support/profiles.js';
import { client, simulator } from '../support/simulator.js';

const image = { model: 'runware:101@1', positivePrompt: 'a paper crane', width: 256, height: 256 };

describeEachProfile('maxInFlight', (profile) => {
  it('keeps at most maxInFlight tasks at the server and starts the others in order', async () => {
    const sim = await simulator({ profile, media: false, imageLatencyMs: 40 });
    const runware = client(sim, { maxInFlight: 2 });
    const order: number[] = [];
    const streams = Array.from({ length: 6 }, (_, index) =>
      runware.image$({ ...image, positivePrompt: `paper crane ${index}` }).pipe(
        tap((event) => {
          if (event.type === 'submitted') order.push(index);
        }),
      ),
    );
    const inFlight = await lastValueFrom(
      merge(...streams).pipe(
        scan((count, event) => count + (event.type === 'submitted' ? 1 : event.type === 'result' ? -1 : 0), 0),
        toArray(),
      ),
    );
    expect(Math.max(...inFlight)).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot of a cancelled task for the next one', async () => {
    const sim = await simulator({ profile, media: false, videoReadyAfterMs: 60_000 });
    const runware = client(sim, { maxInFlight: 1 });
    const controller = new AbortController();
    const stuck = runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'never ready', duration: 5 }, { signal: controller.signal });
    const next = runware.imageInference(image);
    controller.abort();
    await expect(stuck).rejects.toMatchObject({ code: 'aborted' });
    await expect(next).resolves.toHaveLength(1);
  });
});

describeEachProfile('settled mode', (profile) => {
  it('resolves every item as fulfilled when none fails', async () => {
    const sim = await simulator({ profile, media: false });
    const items = await client(sim).imageInference({ ...image, numberResults: 3 }, { settled: true });
    expect(items.map((item) => [item.status, item.index])).toEqual([
      ['fulfilled', 0],
      ['fulfilled', 1],
      ['fulfilled', 2],
    ]);
  });
});
