import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { authenticate } from '../simulator/support/raw-client.js';
import type { SimulatorOptions } from 'runware-rx/simulator';
import { browser, IMAGE, rawBrowser, realKeySimulator, relayServer } from './support.js';

/*
 * The relay's upstream socket drops while a fresh submission has not been answered yet. The
 * connection re-sends the submission under its taskUUID; the server, which already has it,
 * answers conflictTaskUUID. The server's archive holds what the relay sent, so the conflict is the
 * server's answer to this very task: the page gets its image and never hears of the conflict,
 * whether the upstream session was resumed or not.
 */

const ALICE = 'alice-session-token';

/** Alice's image is taken by the server, and the relay's upstream socket drops before any answer to it. */
async function dropBeforeFirstAnswer(options: SimulatorOptions) {
  const sim = await realKeySimulator({ imageLatencyMs: 1500, ...options });
  const server = await relayServer(sim);
  const alice = await rawBrowser(server);
  await authenticate(alice, ALICE);
  const taskUUID = randomUUID();
  alice.send([{ taskType: 'imageInference', taskUUID, ...IMAGE }]);
  // The server has taken the task and is generating it; the relay has no answer yet.
  await vi.waitFor(() => expect(sim.receivedTasks().some((task) => task.taskUUID === taskUUID)).toBe(true), { timeout: 10_000 });
  expect(sim.faults.drop()).toBe(1);
  return { sim, alice, taskUUID };
}

describe('an upstream drop before the first answer of a fresh task', () => {
  it("does not turn Alice's own image into taskNotFound: she gets the image the server made for her", async () => {
    const { alice, taskUUID } = await dropBeforeFirstAnswer({});
    const first = await alice.results(taskUUID, 1);
    expect(first.errors).toEqual([]);
    expect(first.data).toEqual([expect.objectContaining({ taskUUID, imageUUID: expect.any(String) as unknown })]);
  });

  it('brings Alice her image when the upstream session is not resumed (it expired at once): the relay polls for her until it is done', async () => {
    const { sim, alice, taskUUID } = await dropBeforeFirstAnswer({ sessionBufferMs: 0 });
    // The relay re-sent the submission on its new socket, checked the archive and polls.
    await vi.waitFor(() => expect(sim.receivedTasks().filter((task) => task.taskUUID === taskUUID && task.taskType === 'getResponse').length).toBeGreaterThan(0), { timeout: 10_000 });
    // The image is ready 1.5 s after it was taken; ten seconds is room enough on a busy machine.
    const items = await alice.until(() => (alice.itemsFor(taskUUID).data.length + alice.itemsFor(taskUUID).errors.length > 0 ? alice.itemsFor(taskUUID) : undefined), 10_000);
    expect(items).toEqual({ data: [expect.objectContaining({ taskUUID, imageUUID: expect.any(String) as unknown })], errors: [] });
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
