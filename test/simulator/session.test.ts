import { expect, it } from 'vitest';
import { describeEachProfile } from '../support/profiles.js';
import { useSimulator } from './support/harness.js';
import { authenticate, imageTask } from './support/raw-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachProfile('simulator: sessions and resume', (profile) => {
  const harness = useSimulator();

  it('replays a sync result produced while the socket was closed when the session resumes', async () => {
    await harness.start({ profile, imageLatencyMs: 150 });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    const task = imageTask({ seed: 9 });
    first.send([task]);
    await first.close();
    await sleep(400);
    expect(first.itemsFor(String(task['taskUUID'])).data).toEqual([]);

    const second = await harness.client();
    second.send([{ taskType: 'authentication', apiKey: 'test-key', connectionSessionUUID: sessionUUID }]);
    expect(await second.nextFrame(0)).toEqual({ data: [{ taskType: 'authentication', connectionSessionUUID: sessionUUID }] });
    const replay = await second.nextFrame(1);
    expect(replay.data).toEqual([
      expect.objectContaining({ taskType: 'imageInference', taskUUID: task['taskUUID'], seed: 9, imageURL: expect.any(String) }),
    ]);
    // Replayed once: a further resume gets nothing more.
    const third = await harness.client();
    await authenticate(third, 'test-key', sessionUUID);
    await sleep(50);
    expect(third.frames).toHaveLength(1);
  });

  it('delivers results to the resumed socket when the client reconnects before they are ready', async () => {
    await harness.start({ profile, imageLatencyMs: 200, media: false });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    const task = imageTask();
    first.send([task]);
    await first.close();
    const second = await harness.client();
    await authenticate(second, 'test-key', sessionUUID);
    const { data } = await second.results(String(task['taskUUID']));
    expect(data).toHaveLength(1);
  });

  it('starts a new session for an unknown connectionSessionUUID', async () => {
    await harness.start({ profile, media: false });
    const client = await harness.client();
    const unknown = '0b6f6f3e-4a4c-4d7a-9d38-1f4a8f5e2c11';
    const sessionUUID = await authenticate(client, 'test-key', unknown);
    expect(sessionUUID).not.toBe(unknown);
  });

  it('forgets a session (and its buffered results) after sessionBufferMs', async () => {
    await harness.start({ profile, sessionBufferMs: 100, imageLatencyMs: 10, media: false });
    const first = await harness.client();
    const sessionUUID = await authenticate(first);
    first.send([imageTask()]);
    await first.close();
    await sleep(300);
    expect(harness.simulator.stats().sessions).toBe(0);
    const second = await harness.client();
    expect(await authenticate(second, 'test-key', sessionUUID)).not.toBe(sessionUUID);
    await sleep(50);
    expect(second.frames).toHaveLength(1);
  });
});
