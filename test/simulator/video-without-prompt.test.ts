import { RunwareServer } from '@runware/sdk-js';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/**
 * Protocol §4.3: videoInference `positivePrompt` is required only "usually" (an image-to-video
 * task is driven by its `frameImages`), unlike imageInference's "yes*". @runware/sdk-js types
 * `positivePrompt?: string` on `IRequestVideo`.
 */
describe('a video request without a prompt', () => {
  const harness = useSimulator();
  const clients: RunwareServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });

  /** Sends a video request through the official SDK, and how it ended. */
  const video = async (request: Record<string, unknown>) => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key', videoReadyAfterMs: 50 });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    return runware.videoInference({ model: 'klingai:5@3', duration: 5, ...request } as never).then((value) => ({ value }), (error: unknown) => ({ error }));
  };

  it('is accepted and polled to a video when frameImages drive it (@runware/sdk-js)', async () => {
    const outcome = await video({ frameImages: [{ inputImage: 'https://example.com/first-frame.png', frame: 'first' }] });
    expect(outcome).not.toHaveProperty('error');
    const [result] = [(outcome as { value: unknown }).value].flat() as Record<string, unknown>[];
    expect(result).toMatchObject({ taskType: 'videoInference', status: 'success', videoUUID: expect.any(String) });
  });

  it('is refused with missingPositivePrompt when no image or video drives it either', async () => {
    expect(JSON.stringify(await video({}))).toContain('missingPositivePrompt');
  });
});
