import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * Task errors often come without a taskType (protocol §6, "frequently omitted on task errors").
 * An error answering a getTaskDetails sent under a task still in flight goes to the look-up that
 * waits for its answer, not to the task it looked at.
 */

describe('a getTaskDetails refused with an error that names no taskType, beside its task', () => {
  it('fails the look-up with that error, and not the video it looked at', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const details: { error?: RunwareError } = {};
    const video: { completed?: boolean; error?: RunwareError } = {};
    scheduler.run(() => {
      const server = createVirtualServer(scheduler, (task, host) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
        if (taskType === 'getResponse') host.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] }, 5);
        if (taskType === 'getTaskDetails') host.reply({ errors: [{ code: 'taskNotFound', message: 'No archived task with this taskUUID yet.', taskUUID, parameter: 'taskUUID' }] }, 20);
      });
      const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 100 });
      runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'a paper boat', duration: 5 }).subscribe({
        complete: () => (video.completed = true),
        error: (error: RunwareError) => (video.error = error),
      });
      scheduler.schedule(() => {
        const [submitted] = server.tasks('videoInference');
        runware.getTaskDetails$({ taskUUID: submitted!.taskUUID }).subscribe({
          error: (error: RunwareError) => {
            details.error = error;
          },
        });
      }, 50);
      scheduler.schedule(() => void runware.disconnect(), 5_000);
    });
    // The video runs on until the client disconnects: that, not the look-up's error, ends it.
    expect({ details: details.error?.code, video: video.error?.code }).toEqual({ details: 'notFound', video: 'aborted' });
  });
});
