import { describe, expect, it } from 'vitest';
import { loadMediaPackages } from '../../src/simulator/media/optional-deps.js';
import { renderVideo } from '../../src/simulator/media/render-video.js';

const spec = { prompt: 'a lighthouse at dusk', seed: 7, width: 320, height: 180 };

describe('simulator videos: an encode cancelled by close()', () => {
  it('stops with the "simulator closed" error, not an abort of the WASM encoder, and the next encode still works', async () => {
    const { sharp, createEncoder } = await loadMediaPackages();
    if (sharp === undefined || createEncoder === undefined) throw new Error('this test needs sharp and h264-mp4-encoder installed');
    let frames = 0;
    // Cancelled after a few frames, as when simulator.close() lands mid-encode.
    await expect(renderVideo(sharp, createEncoder, spec, () => ++frames > 3)).rejects.toThrow(/simulator closed while encoding a video/);
    const bytes = await renderVideo(sharp, createEncoder, spec, () => false);
    expect(Buffer.from(bytes.subarray(4, 8)).toString('latin1')).toBe('ftyp');
  });
});
