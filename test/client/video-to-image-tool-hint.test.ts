import { describe, expect, it } from 'vitest';
import { client, simulator } from '../support/simulator.js';

/*
 * caption, upscale and removeBackground share their wire task type with the video tools, which
 * take `inputs.video`. Given a video, an image method says which method takes it, instead of only
 * that an image is missing; and nothing is sent.
 */

const video = 'https://example.com/clip.mp4';

describe('a video given to an image tool', () => {
  it.each([
    ['upscale', 'videoUpscale', { upscaleFactor: 2 }],
    ['removeBackground', 'videoBackgroundRemoval', {}],
    ['caption', 'videoCaption', {}],
  ] as const)('%s is refused naming inputs.video and %s', async (method, videoMethod, extra) => {
    const sim = await simulator({ media: false });
    const runware = client(sim) as unknown as Record<string, (params: unknown) => Promise<unknown>>;
    const error = await runware[method]!({ inputs: { video }, ...extra }).then(() => undefined, (reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputs.video', sent: false, message: expect.stringContaining(videoMethod) });
    expect(sim.receivedTasks().filter((task) => task['taskType'] !== 'authentication')).toEqual([]);
  });
});
