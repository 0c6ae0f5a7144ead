import { RunwareServer } from '@runware/sdk-js';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/**
 * Protocol §4.3: videoInference `positivePrompt` is required only "usually" (an image-to-video
 * task is driven by its `frameImages`), unlike imageInference's "yes*". @runware/sdk-js types
 * `positivePrompt?: string` on `IRequestVideo`.
 */
describe('image-to-video without a prompt', () => {
  const harness = useSimulator();
  const clients: RunwareServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });

  it('@runware/sdk-js videoInference with frameImages and no positivePrompt is accepted and polled to a video', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key', videoReadyAfterMs: 50 });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const outcome = await runware
      .videoInference({ model: 'klingai:5@3', duration: 5, frameImages: [{ inputImage: 'https://example.com/first-frame.png', frame: 'first' }] } as never)
      .then((value) => ({ value }), (error: unknown) => ({ error }));
    expect(outcome).not.toHaveProperty('error');
    const [video] = [(outcome as { value: unknown }).value].flat() as Record<string, unknown>[];
    expect(video).toMatchObject({ taskType: 'videoInference', status: 'success', videoUUID: expect.any(String) });
  });
});

describe('a video request with neither a prompt nor an image', () => {
  const harness = useSimulator();
  const clients: RunwareServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });

  it('is refused with missingPositivePrompt, as before', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'official-key', videoReadyAfterMs: 50 });
    const runware = new RunwareServer({ apiKey: 'official-key', url: simulator.url, shouldReconnect: false });
    clients.push(runware);
    const outcome = await runware.videoInference({ model: 'klingai:5@3', duration: 5 } as never).then((value) => ({ value }), (error: unknown) => ({ error }));
    expect(JSON.stringify(outcome)).toContain('missingPositivePrompt');
  });
});
