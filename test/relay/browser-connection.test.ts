import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { BrowserHandler, TaskStep } from '../../src/relay/browser-contract.js';
import { BrowserConnection } from '../../src/relay/browser-connection.js';
import { BROWSER_LIMITS, RELAY_KEY } from './browser-limits.js';
import type { RelayPolicy } from '../../src/relay/relay-policy.js';
import type { RawClient } from '../simulator/support/raw-client.js';
import { authenticate, openClient } from '../simulator/support/raw-client.js';

/*
 * The browser connection's own safety net, below the relay's rules: whatever a checked task's
 * step does when it runs, one step that throws refuses its own task only, gives back what its
 * check reserved, and the rest of the frame still goes. The relay's steps write to the
 * upstream's outbox and are not expected to throw; this is what happens if one ever does.
 */


interface Ran {
  readonly ran: string[];
  readonly cancelled: string[];
  readonly log: { event: string; detail: string }[];
}

/** A handler that accepts every token and makes, for each task, a step that throws when its taskUUID is in `failing`. */
function handlerFor(failing: ReadonlySet<string>, record: Ran): BrowserHandler {
  return {
    authorize: async () => ({ userId: 'alice' }) satisfies RelayPolicy,
    attach: async (_link, _userId, _requested, ready) => {
      ready('session-1', false);
      return 'session-1';
    },
    detach: () => undefined,
    check: (task): TaskStep => {
      const taskUUID = String(task['taskUUID']);
      return {
        run: () => {
          if (failing.has(taskUUID)) throw new Error(`the outbox refused ${taskUUID}`);
          record.ran.push(taskUUID);
        },
        cancel: () => void record.cancelled.push(taskUUID),
      };
    },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server whose every socket is a BrowserConnection with `handler`, and a raw browser on it. */
async function browserOn(handler: BrowserHandler, record: Ran): Promise<RawClient> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket, request) => {
    void new BrowserConnection(socket, request, handler, RELAY_KEY, BROWSER_LIMITS, false, (_level, event, detail) => record.log.push({ event, detail }));
  });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const client = await openClient(`ws://127.0.0.1:${port}`);
  cleanups.push(() => client.close());
  return client;
}

describe('a browser connection whose checked step throws', () => {
  it('refuses that task alone (serviceUnavailable), gives back what it held, and sends the others of the frame', async () => {
    const [first, failing, last] = [randomUUID(), randomUUID(), randomUUID()];
    const record: Ran = { ran: [], cancelled: [], log: [] };
    const client = await browserOn(handlerFor(new Set([failing]), record), record);
    expect(await authenticate(client, 'alice-token')).toBe('session-1');

    const before = client.frames.length;
    client.send([first, failing, last].map((taskUUID) => ({ taskType: 'imageInference', taskUUID, positivePrompt: 'a lighthouse' })));
    const answer = await client.nextFrame(before);

    expect(answer).toEqual({ errors: [expect.objectContaining({ code: 'serviceUnavailable', taskType: 'imageInference', taskUUID: failing })] });
    expect(record.ran).toEqual([first, last]);
    expect(record.cancelled).toEqual([failing]);
    expect(record.log).toContainEqual({ event: 'relay.sendFailed', detail: `taskType=imageInference taskUUID=${failing}: the outbox refused ${failing}` });
  });

  it('keeps the socket open and answering after it', async () => {
    const failing = randomUUID();
    const record: Ran = { ran: [], cancelled: [], log: [] };
    const client = await browserOn(handlerFor(new Set([failing]), record), record);
    await authenticate(client, 'alice-token');
    client.send([{ taskType: 'imageInference', taskUUID: failing }]);
    await client.until(() => client.frames.find((frame) => frame.errors?.[0]?.['taskUUID'] === failing));

    const next = randomUUID();
    const before = client.frames.length;
    client.send([{ taskType: 'ping', ping: true }, { taskType: 'imageInference', taskUUID: next }]);
    expect(await client.nextFrame(before)).toEqual({ data: [{ taskType: 'ping', pong: true }] });
    expect(record.ran).toEqual([next]);
  });
});
