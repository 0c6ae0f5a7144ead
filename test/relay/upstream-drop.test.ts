import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import { browser, IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * The relay's upstream socket drops while a fresh submission has not been answered yet. The
 * connection re-sends the submission under its taskUUID, and the server, which already has it,
 * answers conflictTaskUUID: that is the server's answer to this very task, not someone else's
 * taskUUID, so the page gets its image and never hears of the conflict.
 */

const ALICE = 'alice-session-token';

describe('an upstream drop before the first answer of a fresh task', () => {
  it("does not turn Alice's own image into taskNotFound: she gets the image the server made for her", async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 1500 });
    const server = await relayServer(sim);
    const alice = await rawBrowser(server);
    await authenticate(alice, ALICE);
    const taskUUID = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
    // The server has taken the task and is generating it; the relay has no answer yet.
    await vi.waitFor(() => expect(sim.receivedTasks().some((task) => task.taskUUID === taskUUID)).toBe(true), { timeout: 10_000 });
    expect(sim.faults.drop()).toBe(1);
    const first = await alice.results(taskUUID, 1);
    expect(first.errors).toEqual([]);
    expect(first.data).toEqual([expect.objectContaining({ taskUUID, imageUUID: expect.any(String) as unknown })]);
  });

  it('a runware-rx page whose image was under way when the upstream dropped gets the image, not notFound', async () => {
    const sim = await realKeySimulator({ imageLatencyMs: 1500 });
    const server = await relayServer(sim);
    const alice = browser(server, ALICE);
    await alice.connect();
    const image = alice.imageInference(IMAGE);
    image.catch(() => undefined);
    await vi.waitFor(() => expect(sim.receivedTasks().filter((task) => task.taskType === 'imageInference')).toHaveLength(1), { timeout: 10_000 });
    expect(sim.faults.drop()).toBe(1);
    const outcome = await image.then(
      (items) => ({ imageUUID: items[0]?.imageUUID }),
      (error: unknown) => ({ failed: String((error as { code?: string }).code) + ': ' + String(error) }),
    );
    expect(outcome).toEqual({ imageUUID: expect.any(String) as unknown });
  });
});
