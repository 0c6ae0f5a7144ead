import { describe, expect, it } from 'vitest';
import type { LogRecord } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * Protocol §4.7 and §4.8 list outputQuality, ttl and safety among the fields of upscale and
 * removeBackground, video forms included (§4.1: outputQuality applies to images and video). The
 * video methods must take them as known fields: no unknown-field warning, and no refusal under
 * strictParams.
 */

const video = 'https://example.com/clip.mp4';

describe('video tools and the documented output fields', () => {
  it('videoUpscale takes outputQuality, ttl and safety under strictParams, and sends them', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    const runware = client(sim, { strictParams: true });
    const outcome = await runware
      .videoUpscale({ inputs: { video }, upscaleFactor: 2, outputQuality: 90, ttl: 3600, safety: { mode: 'fast' } })
      .then(() => 'done', (error: unknown) => error);
    expect(outcome).toBe('done');
    expect(sim.receivedTasks().find((task) => task['taskType'] === 'upscale')).toMatchObject({ outputQuality: 90, ttl: 3600 });
  });

  it('videoBackgroundRemoval takes outputQuality without an unknown-field warning', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    const logged: LogRecord[] = [];
    const runware = client(sim, { logger: (record) => logged.push(record) });
    await runware.videoBackgroundRemoval({ inputs: { video }, outputQuality: 90 });
    expect(logged.filter((record) => record.event === 'param.unknown').map((record) => record.detail)).toEqual([]);
  });
});
