import { describe, expect, it } from 'vitest';
import { createMemoryStore } from 'runware-rx/relay';
import { authenticate } from '../simulator/support/raw-client.js';
import { rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * Every authentication that does not resume opens a session, which the store keeps for
 * `sessionBufferMs` after its socket lets go of it, and the store's sessions are bounded for all
 * users together. A socket may authenticate again (the latest wins), but not without end: a frame
 * of thousands would fill the store, and every other user's sign-in would fail.
 */

describe('a socket that authenticates again and again', () => {
  it('is closed (1008) after a few authentications, and other users still sign in', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { store: createMemoryStore({ maxSessions: 50 }) });
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    alice.send(Array.from({ length: 100 }, () => ({ taskType: 'authentication', apiKey: 'alice-session-token' })));
    expect(await alice.closed).toEqual({ code: 1008, reason: 'Too many authentications' });
    const sessions = new Set(alice.frames.flatMap((frame) => frame.data ?? []).flatMap((item) => (typeof item['connectionSessionUUID'] === 'string' ? [item['connectionSessionUUID']] : [])));
    expect(sessions.size).toBeLessThanOrEqual(8);

    const bob = await rawBrowser(server);
    await expect(authenticate(bob, 'bob-session-token')).resolves.toEqual(expect.any(String));
  });
});
