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

  it('nor can one user open sessions without end over many sockets: past 64 in a buffer period, the socket is told to try later (1013), and other users still sign in', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { store: createMemoryStore({ maxSessions: 100 }) });
    let opened = 0;
    let refused: { code: number; reason: string } | undefined;
    for (let socket = 0; socket < 10 && refused === undefined; socket += 1) {
      const alice = await rawBrowser(server);
      for (let attempt = 0; attempt < 8 && refused === undefined; attempt += 1) {
        const outcome = await Promise.race([authenticate(alice, 'alice-session-token').then(() => 'opened' as const), alice.closed]);
        if (outcome === 'opened') opened += 1;
        else refused = outcome;
      }
      await alice.close();
    }
    expect(opened).toBe(64);
    expect(refused).toEqual({ code: 1013, reason: 'Too many sessions' });
    const bob = await rawBrowser(server);
    await expect(authenticate(bob, 'bob-session-token')).resolves.toEqual(expect.any(String));
  });
});
