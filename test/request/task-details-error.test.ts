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

/*
 * The reverse: a poll answer of the task, in the docs' shape (§5.3: a failed generation in
 * `errors`, with `status: "error"` and no taskType), while a getTaskDetails about it waits. Only
 * a task's poll answer reports generations: the error is the task's.
 */
describe('a failed generation naming no taskType in the task’s poll answer, while a getTaskDetails of it waits', () => {
  it('fails the task at that answer, and the look-up still resolves with the archived details', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const details: { results: unknown[]; error?: RunwareError; completed?: boolean } = { results: [] };
    const video: { error?: RunwareError; endedAt?: number } = {};
    let polled: number | undefined;
    scheduler.run(() => {
      const server = createVirtualServer(scheduler, (task, host) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
        if (taskType === 'getResponse') {
          polled ??= scheduler.now();
          host.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: 'The provider did not answer in time.', taskUUID }] }, 5);
        }
        // The archive answers more slowly than the poll.
        if (taskType === 'getTaskDetails') host.reply({ data: [{ taskType, taskUUID, request: [{ taskType: 'videoInference' }], response: { errors: [] } }] }, 2_000);
      });
      const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 100 });
      runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'a paper boat', duration: 5 }).subscribe({
        error: (error: RunwareError) => {
          video.error = error;
          video.endedAt = scheduler.now();
        },
      });
      scheduler.schedule(() => {
        const [submitted] = server.tasks('videoInference');
        runware.getTaskDetails$({ taskUUID: submitted!.taskUUID }).subscribe({
          next: (event) => {
            if (event.type === 'result') details.results.push(event.item);
          },
          error: (error: RunwareError) => (details.error = error),
          complete: () => (details.completed = true),
        });
      }, 50);
      scheduler.schedule(() => void runware.disconnect(), 10_000);
    });
    expect(video.error?.serverCode).toBe('timeoutProvider');
    // At the answer to its first poll, not after that poll went unanswered and was sent again.
    expect(video.endedAt! - polled!).toBeLessThan(100);
    expect(details.error).toBeUndefined();
    expect(details.completed).toBe(true);
    expect(details.results).toEqual([expect.objectContaining({ taskType: 'getTaskDetails', request: [{ taskType: 'videoInference' }] })]);
  });
});
