import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * Protocol §1.4: "results for different tasks may share one frame". A getTaskDetails refused with
 * taskNotFound (no taskType, as §6.1 says servers often omit it) that the server sends in the same
 * frame as the task's poll answer is still the look-up's answer: the task, still processing, must
 * not be failed with it.
 */
describe('a look-up refusal sharing a frame with its task\u2019s poll answer', () => {
  it('fails the look-up, not the running video', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const details: { error?: RunwareError } = {};
    const video: { error?: RunwareError; completed?: boolean } = {};
    scheduler.run(() => {
      let lookupHeld = false;
      const server = createVirtualServer(scheduler, (task, host) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
        if (taskType === 'getTaskDetails') lookupHeld = true;
        if (taskType === 'getResponse') {
          const running = { taskType: 'videoInference', taskUUID, status: 'processing' };
          if (lookupHeld) {
            lookupHeld = false;
            // Both answers in one frame.
            host.reply({ data: [running], errors: [{ code: 'taskNotFound', message: 'No archived task with this taskUUID yet.', taskUUID, parameter: 'taskUUID' }] }, 5);
          } else host.reply({ data: [running] }, 5);
        }
      });
      const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 100 });
      runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'a paper boat', duration: 5 }).subscribe({
        complete: () => (video.completed = true),
        error: (error: RunwareError) => (video.error = error),
      });
      scheduler.schedule(() => {
        const [submitted] = server.tasks('videoInference');
        runware.getTaskDetails$({ taskUUID: submitted!.taskUUID }).subscribe({ error: (error: RunwareError) => (details.error = error) });
      }, 50);
      scheduler.schedule(() => void runware.disconnect(), 5_000);
    });
    expect({ details: details.error?.code, video: video.error?.code, videoServerCode: video.error?.serverCode }).toEqual({ details: 'notFound', video: 'aborted', videoServerCode: undefined });
  });
});
