import { RunwareServer } from '@runware/sdk-js';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/**
 * The official legacy SDK speaks the protocol independently of our code, so a round trip with it
 * checks the simulator against a client we did not write. In Node its `Runware` export is
 * `RunwareServer`, which dials `url` (plus `?sdk=js&version=…`) with `ws` in its constructor.
 */
describe('simulator: interop with @runware/sdk-js 1.3.2', () => {
  const harness = useSimulator();

  it('completes a requestImages round trip and returns a fetchable image URL', async () => {
    const simulator = await harness.start({ apiKey: 'legacy-key' });
    const runware = new RunwareServer({ apiKey: 'legacy-key', url: simulator.url, shouldReconnect: false });
    try {
      const images = await runware.requestImages({
        positivePrompt: 'a red fox in fresh snow',
        model: 'runware:101@1',
        width: 512,
        height: 320,
        numberResults: 2,
        outputFormat: 'PNG',
      });
      expect(images).toHaveLength(2);
      for (const image of images ?? []) {
        expect(image.imageURL).toMatch(new RegExp(`^${simulator.httpUrl}/media/.+\\.png$`));
        const bytes = Buffer.from(await (await fetch(image.imageURL!)).arrayBuffer());
        expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 512, height: 320 });
      }
      expect(simulator.stats().tasksReceived).toMatchObject({ authentication: 1, imageInference: 1 });
    } finally {
      await runware.disconnect();
    }
  });

  it('completes a videoInference round trip (ack, then getResponse polling every 2 s)', async () => {
    const simulator = await harness.start({ videoReadyAfterMs: 200 });
    const runware = new RunwareServer({ apiKey: 'any-key', url: simulator.url, shouldReconnect: false });
    try {
      const videos = await runware.videoInference({
        positivePrompt: 'a paper boat on a stream',
        model: 'klingai:5@3',
        duration: 5,
        width: 640,
        height: 360,
      });
      const [video] = Array.isArray(videos) ? videos : [];
      expect(video).toMatchObject({ status: 'success', videoURL: expect.stringMatching(/\.mp4$/) });
      const response = await fetch(String((video as { videoURL: string }).videoURL));
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(simulator.stats().tasksReceived['getResponse']).toBeGreaterThanOrEqual(1);
    } finally {
      await runware.disconnect();
    }
  });
});
