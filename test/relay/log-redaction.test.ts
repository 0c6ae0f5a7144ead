import { describe, expect, it } from 'vitest';
import { openClient } from '../simulator/support/raw-client.js';
import { realKeySimulator, relayServer } from './support.js';

/*
 * A connection's log lines are redacted of its token, even in what authorize throws, however
 * short the token (a six-digit code, a short id).
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
