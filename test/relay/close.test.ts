import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authenticate } from '../simulator/support/raw-client.js';
import { rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * relay.close() may be called by more than one owner (a shutdown hook and a framework's onClose):
 * each call resolves once the relay is closed, browsers closed and sessions handed to the store.
 */
describe('relay.close() called twice', () => {
  it('resolves the second call only once the relay is closed, as the first', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    const first = server.relay.close();
    await server.relay.close();
    expect(alice.socket.readyState).toBe(WebSocket.CLOSED);
    await first;
  });
});
