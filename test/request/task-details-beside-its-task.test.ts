import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError, TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * getTaskDetails is sent under the taskUUID of the task it looks up. While that task is still
 * polled by its own request, each reads only its own answers: the look-up's carry its taskType.
 */
describe('getTaskDetails of a task that is still being polled', () => {
  it('resolves with the archived details, not with the task’s own result', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const details: { events: TaskEvent<unknown, unknown>[]; error?: RunwareError; completed?: boolean } = { events: [] };
    const video: { completed?: boolean } = {};
    scheduler.run(() => {
      const server = createVirtualServer(scheduler, (task, host) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
        if (taskType === 'getResponse') host.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v-1', videoURL: 'https://example.com/v.mp4' }] }, 50);
        // The archive answers more slowly than the poll.
        if (taskType === 'getTaskDetails') host.reply({ data: [{ taskType, taskUUID, request: [{ taskType: 'videoInference' }], response: { data: [] } }] }, 500);
      });
      const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 100 });
      runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'a paper boat', duration: 5 }).subscribe({ complete: () => (video.completed = true) });
      scheduler.schedule(() => {
        const [submitted] = server.tasks('videoInference');
        runware.getTaskDetails$({ taskUUID: submitted!.taskUUID }).subscribe({
          next: (event) => details.events.push(event),
          error: (error: RunwareError) => (details.error = error),
          complete: () => (details.completed = true),
        });
      }, 50);
      scheduler.schedule(() => void runware.disconnect(), 60_000);
    });
    const results = details.events.flatMap((event) => (event.type === 'result' ? [event.item] : []));
    expect(video.completed).toBe(true);
    expect(results).toEqual([expect.objectContaining({ taskType: 'getTaskDetails', request: [{ taskType: 'videoInference' }] })]);
  });
});
