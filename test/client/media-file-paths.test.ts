import { describe, expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * Protocol §4.1, media inputs: a UUID v4, a data URI, bare base64 or a public http(s) URL. A file
 * path is none of them (and fields.ts says a media string is "never a path"), yet any string
 * without a URL scheme passes as "base64": '/home/me/photo.png' is sent, and the caller learns of
 * the mistake from the server instead of from a local error naming the parameter.
 */

const refusal = async (promise: Promise<unknown>) => {
  const error: unknown = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isRunwareError(error)) throw new Error(`expected a typed error, got ${String(error)}`);
  return error;
};

describe('a file path given as a media input', () => {
  it.each(['/home/me/photo.png', './photo.png', 'photo.png', 'C:\\photos\\photo.png', 'uploads/photo_1', 'a=b/c'])('%s is refused locally, naming inputImage and fromFile, and nothing is sent', async (path) => {
    const sim = await simulator({ media: false });
    const error = await refusal(client(sim).upscale({ inputImage: path, upscaleFactor: 2 }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(error.message).toContain('fromFile');
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'upscale')).toEqual([]);
  });
});

describe('the strings a media input takes', () => {
  it.each([
    ['a UUID', '6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5'],
    ['an https URL', 'https://im.test/photo.png?size=2'],
    ['bare base64', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=='],
    ['base64 in lines, as MIME writes it', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB\r\nBAEAwS2OUAAAAABJRU5ErkJggg=='],
    ['URL-safe base64 without padding', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg'],
    ['a data URI', 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=='],
  ])('are sent as given: %s', async (_what, value) => {
    const sim = await simulator({ media: false });
    await client(sim).upscale({ inputImage: value, upscaleFactor: 2 }).catch(() => undefined);
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'upscale').map((task) => task['inputImage'])).toEqual([value]);
  });
});
