import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { MediaSource } from 'runware-rx';
import * as runwareRx from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * A media input read when the request is sent is anything with a MEDIA_SOURCE method, as
 * `fromFile` makes one: a browser app can make its own (bytes kept in IndexedDB, a canvas read
 * late), and for that the key must be a value of the package, not a type only.
 */

describe('MEDIA_SOURCE', () => {
  it('is a value of the root entry, the key of a media source the client reads when the request is sent', async () => {
    const key = (runwareRx as Record<string, unknown>)['MEDIA_SOURCE'];
    expect(typeof key).toBe('symbol');
    const png = new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#2050c0' } }).png().toBuffer());
    let reads = 0;
    const source = {
      [key as symbol]: () => {
        reads += 1;
        return Promise.resolve({ bytes: png, type: 'image/png' });
      },
    } as unknown as MediaSource;
    const runware = client(await simulator({ media: false }));
    const [upscaled] = await runware.upscale({ inputImage: source, upscaleFactor: 2 });
    expect(reads).toBe(1);
    expect(upscaled?.imageUUID).toEqual(expect.any(String));
  });
});
