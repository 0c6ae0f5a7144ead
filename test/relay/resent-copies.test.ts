import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import type { RawClient } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer, VIDEO } from './support.js';

/*
 * A task the relay already follows for its user takes no new slot and no rate entry when its page
 * sends it again (a client re-sends what went unanswered after a reconnect): it is the same task.
 * But every copy written upstream goes under the application's key, so copies of a submission or
 * of a look-up that is still out upstream are not written again: the one answer that comes
 * reaches every session that follows the task.
 */

/** Waits until everything this page sent before reached the server: a task sent after it is answered (the relay writes in order). */
async function flushed(page: RawClient): Promise<void> {
  const taskUUID = randomUUID();
  page.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
  await page.results(taskUUID);
}

describe('copies of a task the relay already follows', () => {
  it('are not written upstream while one is out, whether submissions or look-ups', async () => {
    const sim = await realKeySimulator({ videoReadyAfterMs: 60_000 });
    const server = await relayServer(sim, { authorize: ({ token }) => (token === 'alice-session-token' ? { userId: 'alice', ratePerMinute: 100, maxInFlight: 2 } : undefined) });
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    const taskUUID = randomUUID();
    const task = { taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...VIDEO };
    alice.send([task]);
    await alice.results(taskUUID);
    const received = (taskType: string) => sim.receivedTasks().filter((each) => each.taskType === taskType && each.taskUUID === taskUUID).length;

    alice.send(Array.from({ length: 200 }, () => task));
    alice.send([{ taskType: 'getTaskDetails', taskUUID }, ...Array.from({ length: 199 }, () => ({ taskType: 'getTaskDetails', taskUUID }))]);
    await flushed(alice);
    expect(received('videoInference')).toBeLessThanOrEqual(2);
    expect(received('getTaskDetails')).toBe(1);
  });
});
