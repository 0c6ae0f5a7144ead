import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authenticate } from '../simulator/support/raw-client.js';
import { waitFor } from '../support/wait-for.js';
import { answerFor, rawBrowser, REAL_KEY, realKeySimulator, relayServer, spyStore, VIDEO } from './support.js';

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

/*
 * A store that stops answering (a Redis that hangs, a database in failover) must not keep a
 * closing relay open: close() waits for it at most `closeTimeout`, says what the store did not
 * take, and closes the upstream connection all the same, so that no socket and no task timer
 * outlives it. (This file's cleanup closes the server and the simulator after it: it would wait
 * for ever on what the relay left open.)
 */
describe('relay.close() with a store that stops answering', () => {
  it('resolves, closes the upstream connection with its task in flight, and names the sessions not handed over', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 60_000 });
    const store = spyStore();
    const server = await relayServer(sim, { store, closeTimeout: 50 });
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    // A video in flight: the upstream connection is open, and the task's timers run.
    const taskUUID = randomUUID();
    const accepted = await answerFor(alice, taskUUID, [{ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO }]);
    expect(accepted.errors).toEqual([]);
    store.stall('putSession');
    await server.relay.close();
    const warning = await server.logOf((record) => record.event === 'relay.closeIncomplete');
    expect(warning.level).toBe('warn');
    expect(warning.detail).toContain('session of user=alice');
    expect(warning.detail).not.toContain('alice-session-token');
    expect(warning.detail).not.toContain(REAL_KEY);
    // The browser's socket and the relay's own to Runware are both gone.
    await waitFor(() => sim.stats().openSockets === 0);
  });
});
