import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * After an upstream drop, the conflict answering the relay's re-send is the server's answer to
 * the page's own task. When the upstream session could not be resumed (it expired: here at once),
 * the server pushes the image to a session nobody holds any more: the relay polls on the page's
 * behalf until the task is done, and the page gets its billed image.
 */

const ALICE = 'alice-session-token';

describe('an upstream drop before the first answer, when the upstream session is not resumed', () => {
  it('still brings Alice the image the server made for her', async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 1500, sessionBufferMs: 0 });
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    await vi.waitFor(() => expect(sim.receivedTasks().some((task) => task.taskUUID === taskUUID)).toBe(true), { timeout: 10_000 });
    expect(sim.faults.drop()).toBe(1);
    // The relay re-sent the submission on its new socket and polled once.
    await vi.waitFor(() => expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID && task.taskType === 'getResponse')).toHaveLength(1), { timeout: 10_000 });
    // The image is ready 1.5 s after it was taken; ten seconds is room enough on a busy machine.
    const outcome = await alice.until(() => (alice.itemsFor(taskUUID).data.length + alice.itemsFor(taskUUID).errors.length > 0 ? alice.itemsFor(taskUUID) : undefined), 10_000).then(
      (items) => items,
      (error: unknown) => ({ nothingWithin: String(error) }),
    );
    expect(outcome).toEqual({ data: [expect.objectContaining({ taskUUID, imageUUID: expect.any(String) as unknown })], errors: [] });
  });
});
