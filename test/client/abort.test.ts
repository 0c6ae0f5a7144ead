import { describe, expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import { client, received, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';

const video = { model: 'klingai:5@3', positivePrompt: 'a paper boat on a stream', duration: 5 };

describe('an aborted request', () => {
  it('names the task it had sent, so that the caller can attach to it and still get the result', async () => {
    const sim = await simulator({ videoReadyAfterMs: 600, media: false });
    const runware = client(sim, { pollInterval: 50 });
    const controller = new AbortController();
    const pending = runware.videoInference(video, { signal: controller.signal });
    await waitFor(() => received(sim, 'getResponse') >= 1);
    controller.abort();
    const error: unknown = await pending.catch((failure: unknown) => failure);
    if (!isRunwareError(error) || error.taskUUID === undefined) throw new Error(`expected an aborted error naming its task, got ${String(error)}`);
    expect(error).toMatchObject({ code: 'aborted', sent: true });
    const videos = await runware.attach(error.taskUUID, { taskType: 'videoInference' });
    expect(videos).toEqual([expect.objectContaining({ taskUUID: error.taskUUID, videoUUID: expect.any(String) })]);
    expect(received(sim, 'videoInference')).toBe(1);
  });
});
