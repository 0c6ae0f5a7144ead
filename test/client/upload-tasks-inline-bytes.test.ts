import { describe, expect, it } from 'vitest';
import { client, simulator } from '../support/simulator.js';

/*
 * Protocol §4.14: imageUpload's `image` is a data URI, bare base64 or a public URL (not a UUID);
 * §4.15: mediaStorage `upload` takes a public URL, data URI or base64 as `media`. Bytes given to
 * these tasks are what they store: above uploadThreshold they must still be sent inline, not
 * stored first by another mediaStorage task and then sent as that task's mediaUUID.
 */

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64'));
const inline = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;

describe('bytes given to an upload task above uploadThreshold', () => {
  it('mediaStorage: one upload is sent, holding the bytes', async () => {
    const sim = await simulator({ media: false });
    await client(sim, { uploadThreshold: 10 }).mediaStorage({ media: PNG });
    const sent = sim.receivedTasks().filter((task) => task['taskType'] === 'mediaStorage');
    expect(sent.map((task) => task['media'])).toEqual([inline]);
  });

  it('imageUpload: the image is sent inline, not as the UUID of a mediaStorage upload made first', async () => {
    const sim = await simulator({ media: false });
    await client(sim, { uploadThreshold: 10 }).imageUpload({ image: PNG });
    const sent = sim.receivedTasks().filter((task) => task['taskType'] !== 'authentication' && task['taskType'] !== 'ping');
    expect(sent.map((task) => [task['taskType'], task['image'] ?? task['media']])).toEqual([['imageUpload', inline]]);
  });
});
