import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, outputBytes, solid } from './support/media.js';
import { imageTask, taskUUID, videoTask, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID))) };
};

const fetchBytes = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
};

const UNKNOWN = '0badf00d-0000-4000-8000-000000000000';

describe('simulator: imageUpload', () => {
  const harness = useSimulator();

  it.each(['dataURI', 'base64'] as const)('keeps an image sent as %s and serves it back byte for byte', async (form) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const png = await solid(20, 10, '#336699');
    const { task, data, errors } = await run(client, { taskType: 'imageUpload', image: form === 'dataURI' ? dataUri(png) : png.toString('base64') });
    expect(errors).toEqual([]);
    expect(data).toEqual([{ taskType: 'imageUpload', taskUUID: task.taskUUID, imageUUID: expect.stringMatching(/^[0-9a-f-]{36}$/), imageURL: expect.any(String) }]);
    const served = await fetchBytes(String(data[0]!['imageURL']));
    expect(served).toMatchObject({ status: 200, type: 'image/png' });
    expect(served.bytes.equals(png)).toBe(true);
  });

  it('sniffs the format from the bytes, whatever the data URI claims', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const jpeg = await sharp(await solid(8, 8, '#888')).jpeg().toBuffer();
    const { data } = await run(client, { taskType: 'imageUpload', image: dataUri(jpeg, 'image/png') });
    expect(String(data[0]!['imageURL'])).toMatch(/\.jpg$/);
    expect((await fetchBytes(String(data[0]!['imageURL']))).type).toBe('image/jpeg');
  });

  it.each([
    [{ image: undefined }, 'missingImage'],
    [{ image: 'not-base64!' }, 'invalidImage'],
    [{ image: Buffer.from('plain text is no image').toString('base64') }, 'invalidImage'],
    [{ image: UNKNOWN }, 'mediaNotFound'],
    [{ image: ['a'] }, 'invalidImage'],
  ])('rejects %j with %s', async (change, code) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { errors } = await run(client, { taskType: 'imageUpload', image: dataUri(await solid(2, 2, '#000')), ...(change as Record<string, unknown>) });
    expect(errors).toEqual([expect.objectContaining({ code, parameter: 'image', taskType: 'imageUpload' })]);
  });
});

describe('simulator: mediaStorage', () => {
  const harness = useSimulator();

  it('uploads (the default operation) any media, serves it byte for byte, and deletes it', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const bytes = Buffer.from('ID3\u0003 not really an mp3, but it says so');
    const upload = await run(client, { taskType: 'mediaStorage', media: bytes.toString('base64') });
    expect(upload.data).toEqual([
      { taskType: 'mediaStorage', taskUUID: upload.task.taskUUID, operation: 'upload', mediaUUID: expect.stringMatching(/^[0-9a-f-]{36}$/), mediaURL: expect.stringMatching(/\.mp3$/) },
    ]);
    const mediaUUID = String(upload.data[0]!['mediaUUID']);
    const mediaURL = String(upload.data[0]!['mediaURL']);
    expect(await fetchBytes(mediaURL)).toMatchObject({ status: 200, type: 'audio/mpeg', bytes });

    const unknownKind = await run(client, { taskType: 'mediaStorage', operation: 'upload', media: Buffer.from([1, 2, 3]).toString('base64') });
    expect(await fetchBytes(String(unknownKind.data[0]!['mediaURL']))).toMatchObject({ type: 'application/octet-stream', bytes: Buffer.from([1, 2, 3]) });

    const removal = await run(client, { taskType: 'mediaStorage', operation: 'delete', media: mediaUUID });
    expect(removal.data).toEqual([{ taskType: 'mediaStorage', taskUUID: removal.task.taskUUID, operation: 'delete', mediaUUID }]);
    expect((await fetchBytes(mediaURL)).status).toBe(404);
    const again = await run(client, { taskType: 'mediaStorage', operation: 'delete', media: mediaUUID });
    expect(again.errors).toEqual([expect.objectContaining({ code: 'mediaNotFound', parameter: 'media' })]);
  });

  it.each([
    [{ media: undefined }, 'missingMedia', 'media'],
    [{ operation: 'rename' }, 'invalidOperation', 'operation'],
    [{ operation: 'delete', media: 'not-a-uuid' }, 'invalidMedia', 'media'],
    [{ operation: 'delete', media: UNKNOWN }, 'mediaNotFound', 'media'],
    [{ media: '' }, 'invalidMedia', 'media'],
  ])('rejects %j with %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { errors } = await run(client, { taskType: 'mediaStorage', media: dataUri(await solid(2, 2, '#000')), ...change });
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'mediaStorage' })]);
    if (code === 'invalidOperation') expect(errors[0]).toMatchObject({ allowedValues: ['upload', 'delete'] });
  });
});

describe('simulator: media inputs by UUID, URL, data URI and base64', () => {
  const harness = useSimulator();

  it('resolves uploaded (imageUpload), stored (mediaStorage) and generated (imageInference) UUIDs as inputs', async () => {
    await harness.start();
    const client = await harness.authed();
    const png = await solid(30, 20, '#c04080');
    const uploaded = String((await run(client, { taskType: 'imageUpload', image: dataUri(png) })).data[0]!['imageUUID']);
    const stored = String((await run(client, { taskType: 'mediaStorage', media: png.toString('base64') })).data[0]!['mediaUUID']);
    const generated = String((await run(client, imageTask({ width: 128, height: 256 }))).data[0]!['imageUUID']);
    for (const [uuid, width] of [[uploaded, 60], [stored, 60], [generated, 256], [uploaded.toUpperCase(), 60]] as const) {
      const { data, errors } = await run(client, { taskType: 'upscale', inputImage: uuid, upscaleFactor: 2 });
      expect(errors).toEqual([]);
      expect((await sharp(await outputBytes(data[0]!)).metadata()).width).toBe(width);
    }
    // And as the seedImage, maskImage or reference of an imageInference, the frame of a video.
    for (const fields of [{ seedImage: uploaded }, { maskImage: stored }, { inputs: { seedImage: generated } }, { referenceImages: [stored, uploaded] }]) {
      expect((await run(client, imageTask(fields))).errors).toEqual([]);
    }
    expect((await run(client, videoTask({ frameImages: [{ inputImage: generated, frame: 'first' }] }))).errors).toEqual([]);
  });

  it('answers an unknown UUID, or an own URL that is gone, with mediaNotFound naming the field', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.authed();
    const cases = [
      [imageTask({ seedImage: UNKNOWN }), 'seedImage'],
      [imageTask({ inputs: { maskImage: UNKNOWN } }), 'inputs.maskImage'],
      [imageTask({ referenceImages: [dataUri(await solid(2, 2, '#000')), UNKNOWN] }), 'referenceImages[1]'],
      [imageTask({ controlNet: [{ model: 'runware:25@1', guideImage: UNKNOWN }] }), 'controlNet[0].guideImage'],
      [videoTask({ frameImages: [{ inputImage: UNKNOWN }] }), 'frameImages[0].inputImage'],
      [{ taskType: 'upscale', taskUUID: taskUUID(), inputImage: `${simulator.httpUrl}/media/${UNKNOWN}.png`, upscaleFactor: 2 }, 'inputImage'],
    ] as const;
    for (const [task, parameter] of cases) {
      client.send([task]);
      const { errors } = await client.results(String(task['taskUUID']));
      expect(errors).toEqual([expect.objectContaining({ code: 'mediaNotFound', parameter, taskType: task['taskType'], message: expect.any(String) })]);
    }
  });

  it('answers a media field that is no media with invalid<Field>', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { errors } = await run(client, imageTask({ seedImage: 'data:image/png;base64,@@@' }));
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidSeedImage', parameter: 'seedImage', type: 'string' })]);
    const nested = await run(client, imageTask({ inputs: { referenceImages: [Buffer.from('text').toString('base64')] } }));
    expect(nested.errors).toEqual([expect.objectContaining({ code: 'invalidReferenceImages', parameter: 'inputs.referenceImages[0]' })]);
  });

  it('replaces an external URL it cannot fetch by a deterministic stand-in: one URL, one picture', async () => {
    await harness.start();
    const client = await harness.authed();
    const upscaled = async (url: string) => {
      const { data, errors } = await run(client, { taskType: 'upscale', inputImage: url, upscaleFactor: 2, outputFormat: 'PNG' });
      expect(errors).toEqual([]);
      return outputBytes(data[0]!);
    };
    const first = await upscaled('https://example.com/photo.png');
    expect(await sharp(first).metadata()).toMatchObject({ width: 1024, height: 1024 });
    expect((await upscaled('https://example.com/photo.png')).equals(first)).toBe(true);
    expect((await upscaled('https://example.com/other.png')).equals(first)).toBe(false);
    // The stand-in is kept: an upload of the URL serves it, and its UUID works as an input.
    const upload = await run(client, { taskType: 'imageUpload', image: 'http://203.0.113.9/x.jpg' });
    expect(await sharp((await fetchBytes(String(upload.data[0]!['imageURL']))).bytes).metadata()).toMatchObject({ width: 512, format: 'png' });
  });

  it("with externalInputs: 'error' answers an external URL with the API's error instead", async () => {
    await harness.start({ media: false, externalInputs: 'error' });
    const client = await harness.authed();
    const { errors } = await run(client, { taskType: 'upscale', inputImage: 'https://example.com/photo.png', upscaleFactor: 2 });
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidInputImage', parameter: 'inputImage', message: expect.stringContaining('could not be fetched') })]);
    const seed = await run(client, imageTask({ seedImage: 'https://example.com/seed.png' }));
    expect(seed.errors).toEqual([expect.objectContaining({ code: 'invalidSeedImage' })]);
  });
});
