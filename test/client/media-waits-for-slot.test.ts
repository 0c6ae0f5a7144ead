import { lastValueFrom, tap } from 'rxjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { MediaSource } from 'runware-rx';
import { MEDIA_SOURCE } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * maxInFlight bounds what a client has under way, the memory its inputs take included: a request
 * with media reads (and encodes, and uploads) its inputs once it has its slot, not while it waits
 * for one. A folder of a thousand photos with maxInFlight 4 holds four of them, not a thousand.
 */

describe('a request with media, queued behind maxInFlight', () => {
  it('reads its input only once it has its slot, and its upload takes no slot of its own', async () => {
    const sim = await simulator({ media: false });
    const png = new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#2050c0' } }).png().toBuffer());
    const log: string[] = [];
    const source = (name: string): MediaSource => ({
      [MEDIA_SOURCE]: () => {
        log.push(`read ${name}`);
        return Promise.resolve({ bytes: png, type: 'image/png' });
      },
    });
    // uploadThreshold 0: every input is uploaded first, which with one slot taken must not wait for it.
    const runware = client(sim, { maxInFlight: 1, uploadThreshold: 0 });
    // Told at the request's end, before its slot goes to the next one.
    const run = (name: string) => lastValueFrom(runware.upscale$({ inputImage: source(name), upscaleFactor: 2 }).pipe(tap({ complete: () => log.push(`done ${name}`) })));
    await Promise.all([run('a'), run('b'), run('c')]);
    expect(log).toEqual(['read a', 'done a', 'read b', 'done b', 'read c', 'done c']);
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'mediaStorage')).toHaveLength(3);
  });
});
