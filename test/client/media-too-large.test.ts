import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaSource, RunwareError } from 'runware-rx';
import { fromFile } from 'runware-rx/node';
import { client, simulator } from '../support/simulator.js';

/*
 * Bytes are sent as one base64 string, and a JavaScript string has a ceiling (about 512 Mi
 * characters in V8, so about 400 MB of bytes): above it, encoding throws a RangeError, or, in
 * Node's `btoa`, aborts the whole process. An input that cannot be sent is refused as the caller's
 * to fix, naming it, before anything is sent; a file that large is refused before it is read. The
 * requests carry a generous `timeout` only so that, were the input never refused, the test ends.
 */

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A file of `size` bytes that takes no room on disk (sparse). */
async function sparseFile(name: string, size: number): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'runware-huge-'));
  folders.push(folder);
  const path = join(folder, name);
  const handle = await open(path, 'w');
  await handle.truncate(size);
  await handle.close();
  return path;
}

const GiB = 2 ** 30;

describe('a media input too large to send', () => {
  it('is refused when given as a file, naming the input, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    const path = await sparseFile('huge.png', GiB);
    const error = (await client(sim, { timeout: 20_000 })
      .removeBackground({ inputImage: fromFile(path) })
      .catch((caught: unknown) => caught)) as RunwareError;
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(error.message).toMatch(/^inputImage .*too large/);
    expect(sim.receivedTasks()).toEqual([]);
  });

  it('is refused when given as bytes, naming the input, and nothing is sent', async () => {
    const sim = await simulator({ media: false });
    // Never written to, so the memory is not actually taken.
    const bytes = new Uint8Array(GiB / 2);
    const error = (await client(sim, { timeout: 20_000 })
      .upscale({ inputImage: bytes, upscaleFactor: 2 })
      .catch((caught: unknown) => caught)) as RunwareError;
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(error.message).toMatch(/^inputImage .*too large/);
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('a path given to fromFile that is not a file', () => {
  it('is refused as an input that cannot be read, saying it is a directory', async () => {
    const sim = await simulator({ media: false });
    const folder = await mkdtemp(join(tmpdir(), 'runware-folder-'));
    folders.push(folder);
    const error = (await client(sim)
      .removeBackground({ inputImage: fromFile(folder) })
      .catch((caught: unknown) => caught)) as RunwareError;
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(error.message).toBe(`inputImage could not be read: ${folder} is a directory`);
    expect(sim.receivedTasks()).toEqual([]);
  });
});

describe('a media source whose reader gives no bytes', () => {
  it('fails the request as an input that cannot be read, naming it, instead of leaving it waiting', async () => {
    const sim = await simulator({ media: false });
    const notBytes = { [Symbol.for('runware-rx.media-source')]: () => Promise.resolve({ bytes: undefined }) } as unknown as MediaSource;
    const error = (await client(sim, { timeout: 20_000 })
      .upscale({ inputImage: notBytes, upscaleFactor: 2 })
      .catch((caught: unknown) => caught)) as RunwareError;
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputImage', sent: false });
    expect(sim.receivedTasks()).toEqual([]);
  });
});
