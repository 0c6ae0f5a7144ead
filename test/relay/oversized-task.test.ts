import { describe, expect, it } from 'vitest';
import { browser, IMAGE, realKeySimulator, relayServer } from './support.js';

/*
 * A page sends a task larger than the relay's maxPayload (an image-to-image task with a large
 * photo inlined as base64). The relay cannot read it and closes the socket (1009). Taken for a
 * lost link, the task would be written again into the same close until the request's whole
 * deadline (five minutes for a sync task), and every other request of the page would lose its
 * socket each time. The client reads 1009 as "a frame was too large" and fails the task that was
 * alone in the largest frame, once. Straight to the simulator the same task runs.
 */

const ALICE = 'alice-session-token';

describe('a task larger than the relay’s maxPayload', () => {
  it('fails its request instead of being written again into the same 1009 close, again and again', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { maxPayload: 8192, maxUnauthenticatedPayload: 4096 });
    const alice = browser(server, ALICE);
    await alice.connect();
    const seedImage = `data:image/png;base64,${'A'.repeat(20_000)}`;
    // In one turn, so in one frame: the large task and a small one beside it.
    const large = alice.imageInference({ ...IMAGE, seedImage, strength: 0.5 }).then(() => 'resolved', (error: unknown) => error);
    const small = alice.imageInference(IMAGE).then((items) => items.length, (error: unknown) => error);
    // Each close of the page's socket for a frame too large is a line in the relay's log.
    const tooLarge = (): number => server.logged.filter((record) => record.event === 'relay.socket' && record.detail.includes('Max payload')).length;
    const closedThrice = server.logOf(() => tooLarge() >= 3, 20_000).then(() => 'closed again and again' as const, () => 'never closed thrice' as const);
    const first = await Promise.race([large, closedThrice]);
    expect(first).not.toBe('closed again and again');
    expect(first).toMatchObject({ code: 'validation', retryable: false, taskType: 'imageInference', message: expect.stringContaining('1009') });
    // The frame of both was refused first: split, the small task went on, and was answered.
    expect(await small).toBe(1);
    expect(tooLarge()).toBe(2);
  });
});
