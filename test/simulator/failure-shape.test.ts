import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import { useSimulator } from './support/harness.js';
import { imageTask, pollUntil, videoTask } from './support/raw-client.js';

/*
 * A failed generation comes in one of two shapes (protocol §5.5): as a top-level `errors` item with
 * `status: "error"` (the docs', the default), or as a `data` item with `status: "error"` and the
 * error nested under `error` (the new SDKs' tests). `failureShape` chooses (§8 #14: switchable),
 * so that a client can be tested against both.
 */

const DOCS = expect.stringMatching(/^https:\/\/runware\.ai\/docs\//);

describe('simulator: failureShape "data"', () => {
  const harness = useSimulator();

  it('pushes the failed generation of a sync task as a data item with the error nested, beside the other result', async () => {
    const simulator = await harness.start({ media: false, failureShape: 'data' });
    simulator.faults.failNextItems(1);
    const client = await harness.authed();
    const task = imageTask({ numberResults: 2, seed: 5 });
    const id = String(task['taskUUID']);
    client.send([task]);
    const { data, errors } = await client.results(id, 2);
    expect(errors).toEqual([]);
    expect(data).toEqual([
      { taskType: 'imageInference', taskUUID: id, status: 'error', error: { code: 'timeoutProvider', message: expect.any(String), documentation: DOCS } },
      expect.objectContaining({ taskUUID: id, seed: 6 }),
    ]);
  });

  it('lists it so in getResponse, in generation order, once it would have finished', async () => {
    const simulator = await harness.start({ media: false, videoReadyAfterMs: 150, failureShape: 'data' });
    simulator.faults.failNextItems(1, 'providerError');
    const client = await harness.authed();
    const task = videoTask({ numberResults: 2 });
    const id = String(task['taskUUID']);
    client.send([task]);
    await client.results(id);
    const replies = await pollUntil(client, id, (reply) => (reply.data ?? []).every((item) => item['status'] !== 'processing'), { intervalMs: 20 });
    const last = replies.at(-1)!;
    expect(last.errors ?? []).toEqual([]);
    expect(last.data).toEqual([
      { taskType: 'videoInference', taskUUID: id, status: 'error', error: { code: 'providerError', message: expect.any(String), documentation: DOCS } },
      expect.objectContaining({ status: 'success', videoUUID: expect.any(String) }),
    ]);
  });

  it('is read by runware-rx as the failure of that item: a settled request reports it beside the result', async () => {
    const simulator = await harness.start({ media: false, failureShape: 'data' });
    simulator.faults.failNextItems(1);
    const runware = createRunware({ apiKey: 'test-key', url: simulator.url });
    try {
      const items = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a storm over the sea', width: 256, height: 256, numberResults: 2 }, { settled: true });
      expect(items.map((item) => item.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failed = items.find((item) => item.status === 'rejected');
      expect(failed?.status === 'rejected' && failed.reason).toMatchObject({ serverCode: 'timeoutProvider', sent: true });
      expect(simulator.faults.counts().itemFailure).toBe(1);
    } finally {
      await runware.disconnect();
    }
  });
});
