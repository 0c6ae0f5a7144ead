import { RunwareServer } from '@runware/sdk-js';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/**
 * Protocol §4.1 (`checkNSFW`: "Adds `NSFWContent` to results"; `safety.checkContent`), §4.2.1 result
 * table (`NSFWContent` boolean "only when safety checking/`checkNSFW` requested") and §8 item 10
 * ("Honour … safety (`NSFWContent`)"); official-clients-surface.md: every SDK reads `NSFWContent`
 * on imageInference results, and @runware/sdk-js's `requestImages` puts `checkNSFW` on the wire.
 */
describe('imageInference with a content check asked for', () => {
  const harness = useSimulator();
  const clients: RunwareServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });

  it('@runware/sdk-js requestImages({ checkNSFW: true }): every image carries a boolean NSFWContent', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key' });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const images = await runware.requestImages({ positivePrompt: 'a lighthouse at dusk', model: 'runware:100@1', width: 256, height: 256, numberResults: 2, checkNSFW: true });
    expect(images).toHaveLength(2);
    for (const image of images ?? []) expect(image).toMatchObject({ taskType: 'imageInference', NSFWContent: expect.any(Boolean) });
  });

  it('@runware/sdk-js requestImages({ safety: { checkContent: true } }): every image carries a boolean NSFWContent', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key' });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const images = await runware.requestImages({ positivePrompt: 'a lighthouse at dusk', model: 'runware:100@1', width: 256, height: 256, safety: { checkContent: true } });
    expect(images).toHaveLength(1);
    expect(images![0]).toMatchObject({ NSFWContent: expect.any(Boolean) });
  });

  it('@runware/sdk-js videoInference({ safety: { mode: "fast" } }): the video carries NSFWContent; without a check, no image does', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key', videoReadyAfterMs: 50 });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const videos = [await runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'waves on a beach', duration: 5, safety: { mode: 'fast' } } as never)].flat() as unknown as Record<string, unknown>[];
    expect(videos[0]).toMatchObject({ taskType: 'videoInference', NSFWContent: false });
    const plain = await runware.requestImages({ positivePrompt: 'a lighthouse at dusk', model: 'runware:100@1', width: 256, height: 256, safety: { checkContent: true, mode: 'none' } } as never);
    expect(plain![0]).not.toHaveProperty('NSFWContent');
  });
});
