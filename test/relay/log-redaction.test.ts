import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { authenticate, openClient } from '../simulator/support/raw-client.js';
import { IMAGE, realKeySimulator, relayServer } from './support.js';
import { post, textTask } from './stream-support.js';

/*
 * A connection's log lines are redacted of its token, even in what authorize throws, even a short
 * token (a six-digit code, a short id) where it stands as a value of its own; a short token is
 * not blanked out of the relay's own words (`textInference`, `inFlight`) that happen to hold it.
 */

describe('a short token in what authorize throws', () => {
  it('does not reach the log', async () => {
    const sim = await realKeySimulator();
    const token = 'c0d3-42';
    const server = await relayServer(sim, {
      authorize: ({ token: given }) => {
        throw new Error(`the session store has no entry for ${given}`);
      },
    });
    const page = await openClient(server.url);
    page.send([{ taskType: 'authentication', apiKey: token }]);
    const line = await server.logOf((record) => record.event === 'relay.authorizeFailed');
    await page.closed;
    expect(line.detail).not.toContain(token);
  });
});

describe('a short token that is a piece of the relay\'s own words', () => {
  it('leaves the socket\'s lines whole', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice' }) });
    const page = await openClient(server.url);
    await authenticate(page, 'in');
    const taskUUID = randomUUID();
    page.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    const line = await server.logOf((record) => record.event === 'relay.task');
    await page.close();
    expect(line.detail).toBe(`user=alice taskType=imageInference taskUUID=${taskUUID} inFlight=1 submitted=1`);
  });

  it('leaves the lines of a request to the HTTP route whole', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { authorize: () => ({ userId: 'alice' }) });
    const task = textTask();
    expect((await post(server, 'ference', [task])).status).toBe(200);
    const line = await server.logOf((record) => record.event === 'relay.task');
    expect(line.detail).toBe(`user=alice taskType=textInference taskUUID=${String(task['taskUUID'])} inFlight=1 submitted=1 http`);
  });
});
