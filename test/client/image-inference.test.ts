import { lastValueFrom, toArray } from 'rxjs';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import type { ImageInferenceResult } from 'runware-rx/tasks';
import { describeEachProfile } from '../support/profiles.js';
import { client, received, simulator } from '../support/simulator.js';
import { rejection } from '../support/rejection.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const base = { model: 'runware:101@1', positivePrompt: 'a lighthouse on a cliff at dusk', width: 512, height: 384 };

describeEachProfile('imageInference against the simulator', (profile) => {
  it('resolves with images whose URLs serve real pictures of the requested size and format', async () => {
    const sim = await simulator({ profile });
    const runware = client(sim);
    const images = await runware.imageInference({ ...base, outputFormat: 'PNG' });
    expect(images).toHaveLength(1);
    const [image] = images;
    expect(image?.taskType).toBe('imageInference');
    expect(image?.imageUUID).toMatch(UUID_V4);
    const response = await fetch(image?.imageURL ?? '');
    const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 512, height: 384 });
  });

  it('delivers numberResults distinct images, numbered in arrival order', async () => {
    const sim = await simulator({ profile });
    const events = await lastValueFrom(client(sim).imageInference$({ ...base, numberResults: 3, seed: 42 }).pipe(toArray()));
    const results = events.filter((event): event is Extract<TaskEvent<ImageInferenceResult>, { type: 'result' }> => event.type === 'result');
    expect(results.map((result) => result.index)).toEqual([0, 1, 2]);
    expect(new Set(results.map((result) => result.item.imageUUID)).size).toBe(3);
    expect(results.map((result) => result.item.seed).sort()).toEqual([42, 43, 44]);
    expect(events[0]).toMatchObject({ type: 'submitted', taskType: 'imageInference' });
    expect(events[0]?.taskUUID).toMatch(UUID_V4);
  });

  it('returns base64 data and data URIs when asked', async () => {
    const sim = await simulator({ profile });
    const runware = client(sim);
    const [asBase64] = await runware.imageInference({ ...base, outputType: 'base64Data', outputFormat: 'WEBP' });
    const [asDataURI] = await runware.imageInference({ ...base, outputType: 'dataURI', outputFormat: 'JPG' });
    expect((await sharp(Buffer.from(asBase64?.imageBase64Data ?? '', 'base64')).metadata()).format).toBe('webp');
    expect(asDataURI?.imageDataURI).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('refuses bad parameters before sending anything, naming the parameter', async () => {
    const sim = await simulator({ profile });
    const runware = client(sim);
    const error = await rejection(runware.imageInference({ ...base, numberResults: 21 }));
    expect(error).toMatchObject({ name: 'ValidationError', code: 'validation', parameter: 'numberResults', retryable: false });
    // Unknown fields are sent with a warning unless strictParams refuses them.
    const typo = await rejection(runware.imageInference({ ...base, positivPrompt: 'x' } as never, { strictParams: true }));
    expect(typo.parameter).toBe('positivPrompt');
    expect(received(sim, 'imageInference')).toBe(0);
  });

  it('surfaces a server validation error as a typed error of the task, not retried', async () => {
    const sim = await simulator({ profile });
    const error = await rejection(client(sim).imageInference({ ...base, width: 500 }));
    expect(error).toMatchObject({ code: 'validation', serverCode: 'invalidWidth', parameter: 'width', taskType: 'imageInference' });
    expect(error.taskUUID).toMatch(UUID_V4);
    expect(received(sim, 'imageInference')).toBe(1);
  });

  it('keeps concurrent requests apart on one connection', async () => {
    const sim = await simulator({ profile, media: false });
    const runware = client(sim);
    const prompts = Array.from({ length: 20 }, (_, index) => `prompt number ${index}`);
    const batches = await Promise.all(prompts.map((positivePrompt) => runware.imageInference({ ...base, positivePrompt, numberResults: 2 })));
    for (const batch of batches) {
      expect(batch).toHaveLength(2);
      expect(new Set(batch.map((image) => image.taskUUID)).size).toBe(1);
    }
    expect(new Set(batches.map((batch) => batch[0]?.taskUUID)).size).toBe(20);
    expect(sim.stats().openSockets).toBe(1);
  });
});
