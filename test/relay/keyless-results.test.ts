import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * Results without an output UUID (a prompt enhancement's texts, a caption) are known to the relay
 * by what they say: a frame the API writes twice (the simulator's duplicateResults) counts once,
 * so the relay follows the task to its last result, which reaches the page.
 */

const ALICE = 'alice-session-token';

describe('a duplicated frame of a result without an output UUID', () => {
  it('does not end the task early: the page gets every one of its three prompt versions', async () => {
    const sim = await realKeySimulator({ framing: 'per-result' });
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    sim.faults.duplicateResults(1);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'promptEnhance', taskUUID, prompt: 'a red fox in fresh snow', promptVersions: 3 }]);
    // The relay reads four frames for the task from upstream: one of them twice.
    const framesIn = (): number => server.logged.filter((record) => record.event === 'frame.in' && record.detail.includes(taskUUID)).length;
    await server.logOf(() => framesIn() >= 4);
    // Whatever the relay passed on was written before the answer to a later ping.
    const pongs = alice.frames.length;
    alice.send([{ taskType: 'ping', ping: true }]);
    await alice.until(() => alice.frames.slice(pongs).find((frame) => frame.data?.some((item) => item['taskType'] === 'ping')));
    const texts = new Set(alice.itemsFor(taskUUID).data.map((item) => String(item['text'])));
    expect(texts.size).toBe(3);
  });
});
