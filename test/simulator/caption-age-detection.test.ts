import { RunwareServer } from '@runware/sdk-js';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/**
 * Protocol §4.6: the caption models include the age detectors `runware:153@1`, `runware:154@1`,
 * `runware:152@50`; their result is `structuredData` (e.g. `{"ageGroup":"13-20","confidence":79.65}`)
 * and "when present, `text` is omitted". official-clients-surface.md: py-legacy reads `text` or
 * `structuredData`. @runware/sdk-js `caption()` hands the first item over raw.
 */
describe('caption with an age-detection model', () => {
  const harness = useSimulator();
  const clients: RunwareServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });

  it.each(['runware:153@1', 'runware:154@1', 'runware:152@50'])('@runware/sdk-js caption({ model: "%s" }) answers structuredData with an ageGroup and a confidence, and no text', async (model) => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key' });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const result = (await runware.caption({ model, inputImage: 'https://example.com/portrait.png' })) as unknown as Record<string, unknown>;
    expect(result).toMatchObject({ taskType: 'caption', structuredData: { ageGroup: expect.any(String), confidence: expect.any(Number) } });
    expect(result).not.toHaveProperty('text');
  });

  it('draws the same age group for the same image, and answers text for the other caption models', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key' });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const read = async (model: string) => (await runware.caption({ model, inputImage: 'https://example.com/portrait.png' })) as unknown as Record<string, unknown>;
    const [first, again] = [await read('runware:153@1'), await read('runware:153@1')];
    expect(again['structuredData']).toEqual(first['structuredData']);
    expect(await read('runware:150@2')).toMatchObject({ text: expect.any(String) });
  });
});
