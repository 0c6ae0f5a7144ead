import { describe, expect, it } from 'vitest';
import { browser, browserFrames, IMAGE, REAL_KEY, realKeySimulator, relayServer, VIDEO } from './support.js';

describe('the relay, for a runware-rx client', () => {
  it('relays an image and a video, the upstream seeing the real key and the browser never', async () => {
    const offered: string[] = [];
    const sim = await realKeySimulator({ videoReadyAfterMs: 300, apiKey: (key) => offered.push(key) > 0 && key === REAL_KEY });
    const server = await relayServer(sim);
    const alice = browser(server, 'alice-session-token');
    const [image] = await alice.imageInference(IMAGE);
    expect(image?.imageURL).toMatch(/^http:\/\/127\.0\.0\.1/);
    const [video] = await alice.videoInference(VIDEO);
    expect(video?.videoURL).toMatch(/\.mp4$/);
    expect(offered).toEqual([REAL_KEY]);
    expect(browserFrames.length).toBeGreaterThan(3);
    expect(browserFrames.filter((frame) => frame.includes(REAL_KEY))).toEqual([]);
  });
});
