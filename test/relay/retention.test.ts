import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { BrowserHandler, TaskStep } from '../../src/relay/browser-contract.js';
import { BrowserConnection } from '../../src/relay/browser-connection.js';
import { BROWSER_LIMITS, RELAY_KEY } from './browser-limits.js';
import type { RawClient } from '../simulator/support/raw-client.js';
import { authenticate, openClient } from '../simulator/support/raw-client.js';

/*
 * A page keeps its socket to the relay open for as long as it is open (its pings keep it from
 * idling), and sends task after task over it, each perhaps with megabytes of base64 input. What
 * the relay kept to check a task must be free once the task has gone upstream, not held until
 * the socket closes: otherwise one busy page holds every input it ever sent.
 */

setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;


const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A full collection, after the current job (WeakRefs read in a job keep their targets for it). */
async function collected(): Promise<void> {
  for (let round = 0; round < 2; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
}

/** A loopback BrowserConnection whose handler accepts everything and remembers, weakly, each task it checked. */
async function browserKeepingWeakly(checked: WeakRef<object>[]): Promise<RawClient> {
  const handler: BrowserHandler = {
    authorize: async () => ({ userId: 'alice' }),
    attach: async (_link, _userId, _requested, ready) => {
      ready('session-1', false);
      return 'session-1';
    },
    detach: () => undefined,
    // As the relay's gate does: the store is asked (later), and the step that sends the task holds it.
    check: async (task): Promise<TaskStep> => {
      checked.push(new WeakRef(task));
      await Promise.resolve();
      return { run: () => void task['taskUUID'], cancel: () => undefined };
    },
  };
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket, request) => void new BrowserConnection(socket, request, handler, RELAY_KEY, BROWSER_LIMITS, false, undefined));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = await openClient(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  cleanups.push(() => client.close());
  return client;
}

describe('a long-lived browser socket', () => {
  it('keeps nothing of a task it has sent upstream while the socket stays open', async () => {
    const checked: WeakRef<object>[] = [];
    const client = await browserKeepingWeakly(checked);
    await authenticate(client, 'alice-token');
    for (let index = 0; index < 5; index += 1) {
      client.send([{ taskType: 'imageInference', taskUUID: randomUUID(), seedImage: `data:image/png;base64,${'A'.repeat(100_000)}` }]);
    }
    // Frames are handled in order: once the pong of a later frame is in, every task above was checked and sent.
    const before = client.frames.length;
    client.send([{ taskType: 'ping', ping: true }]);
    expect(await client.nextFrame(before)).toEqual({ data: [{ taskType: 'ping', pong: true }] });
    expect(checked).toHaveLength(5);

    await collected();
    expect(checked.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});
