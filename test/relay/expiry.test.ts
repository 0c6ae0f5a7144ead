import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate, openClient } from '../simulator/support/raw-client.js';
import { browserFrames, IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * A policy whose expiresAt has already passed when authorize answers: the page is refused with
 * tokenExpired, and nothing it sent goes upstream on the key the app pays for.
 */

describe('a token already expired when authorize answers', () => {
  it('is refused with tokenExpired, and nothing of its frame goes upstream', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authorize: ({ token }) => (token === 'bob-session-token' ? { userId: 'bob' } : { userId: 'alice', expiresAt: Date.now() - 60_000 }),
    });
    const page = await openClient(server.url);
    page.socket.on('message', (data) => browserFrames.push(String(data)));
    const taskUUID = randomUUID();
    page.send([
      { taskType: 'authentication', apiKey: 'alice-token-of-yesterday' },
      { taskType: 'imageInference', taskUUID, ...IMAGE },
    ]);
    await page.closed;
    // A later task of another user goes upstream after anything the expired page had sent.
    const bob = await rawBrowser(server);
    await authenticate(bob, 'bob-session-token');
    const later = randomUUID();
    bob.send([{ taskType: 'imageInference', taskUUID: later, ...IMAGE }]);
    await bob.results(later);
    expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID)).toEqual([]);
    expect(browserFrames.some((frame) => frame.includes('"tokenExpired"'))).toBe(true);
  });
});
