import { describe, expect, it } from 'vitest';
import { createRunwareClient } from 'runware-rx';
import { videoUpscale } from 'runware-rx/tasks';
import { client, simulator } from '../support/simulator.js';

/*
 * Protocol §4.1: "Video inputs in schema-style tools (`inputs.video`): UUID or URL only". Bytes
 * given as `inputs.video` below uploadThreshold (1 MiB by default: most short clips a browser
 * records) are encoded as a data URI and sent inline, which those tools do not take; and a
 * data-URI or base64 string there passes the check. Video bytes must be stored first (whatever
 * their size) and sent by UUID; a data URI given there should be refused, naming inputs.video.
 */

/** The start of an MP4: an `ftyp` box of brand isom. */
const MP4 = Uint8Array.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('a video given as bytes to a video tool', () => {
  it('is sent by the UUID of an upload, never as a data URI', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    await client(sim)
      .videoUpscale({ inputs: { video: MP4 }, upscaleFactor: 2 })
      .catch(() => undefined);
    const sent = sim.receivedTasks().find((task) => task['taskType'] === 'upscale');
    expect(String((sent?.['inputs'] as Record<string, unknown> | undefined)?.['video'])).toMatch(UUID);
  });

  it('given as a data URI string is refused locally, naming inputs.video', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    const error: unknown = await client(sim)
      .videoBackgroundRemoval({ inputs: { video: `data:video/mp4;base64,${Buffer.from(MP4).toString('base64')}` } })
      .then(() => undefined, (reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputs.video', sent: false });
  });
});

describe('video bytes for a video tool, in a client that cannot store media', () => {
  it('are refused locally rather than sent as a data URI', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    const runware = createRunwareClient({ apiKey: 'test-key', url: sim.url, pollInterval: 200, retryDelay: 50, tasks: [videoUpscale] });
    const error: unknown = await runware.videoUpscale({ inputs: { video: MP4 }, upscaleFactor: 2 }).then(() => undefined, (reason: unknown) => reason);
    await runware.disconnect();
    const sent = sim.receivedTasks().find((task) => task['taskType'] === 'upscale');
    expect(String((sent?.['inputs'] as Record<string, unknown> | undefined)?.['video'] ?? '')).not.toMatch(/^data:/);
    expect(error).toMatchObject({ code: 'validation', parameter: 'inputs.video', sent: false, message: expect.stringContaining('mediaStorage') });
  });
});
