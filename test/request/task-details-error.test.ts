import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { TaskHandler } from '../support/virtual-server.js';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * Task errors often come without a taskType (protocol §6, "frequently omitted on task errors").
 * An error answering a getTaskDetails sent under a task still in flight goes to the look-up that
 * waits for its answer, not to the task it looked at.
 */

/**
 * A video, and 50 ms later a getTaskDetails of it, over a server that answers as `handler` does,
 * until the client disconnects at 5 s: what each of the two ended with.
 */
function videoAndLookUp(handler: TaskHandler) {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const details: { error?: RunwareError } = {};
  const video: { error?: RunwareError } = {};
  scheduler.run(() => {
    const server = createVirtualServer(scheduler, handler);
    const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 100 });
    runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'a paper boat', duration: 5 }).subscribe({ error: (error: RunwareError) => (video.error = error) });
    scheduler.schedule(() => {
      const [submitted] = server.tasks('videoInference');
      runware.getTaskDetails$({ taskUUID: submitted!.taskUUID }).subscribe({ error: (error: RunwareError) => (details.error = error) });
    }, 50);
    scheduler.schedule(() => void runware.disconnect(), 5_000);
  });
  return { details: details.error?.code, video: video.error?.code, videoServerCode: video.error?.serverCode };
}

const notArchived = (taskUUID: string) => ({ code: 'taskNotFound', message: 'No archived task with this taskUUID yet.', taskUUID, parameter: 'taskUUID' });

describe('a getTaskDetails refused with an error that names no taskType, beside its task', () => {
  it('fails the look-up with that error, and not the video it looked at', () => {
    const ended = videoAndLookUp((task, host) => {
      const { taskType, taskUUID } = task;
      if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
      if (taskType === 'getResponse') host.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] }, 5);
      if (taskType === 'getTaskDetails') host.reply({ errors: [notArchived(taskUUID)] }, 20);
    });
    // The video runs on until the client disconnects: that, not the look-up's error, ends it.
    expect(ended).toEqual({ details: 'notFound', video: 'aborted', videoServerCode: undefined });
  });

  // Protocol §1.4: results for different tasks may share one frame. The refusal that comes in the
  // same frame as the task's poll answer is still the look-up's answer.
  it('fails the look-up, not the running video, when the refusal shares a frame with the task\'s poll answer', () => {
    let lookupHeld = false;
    const ended = videoAndLookUp((task, host) => {
      const { taskType, taskUUID } = task;
      if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
      if (taskType === 'getTaskDetails') lookupHeld = true;
      if (taskType === 'getResponse') {
        const running = { taskType: 'videoInference', taskUUID, status: 'processing' };
        // Both answers in one frame.
        host.reply(lookupHeld ? { data: [running], errors: [notArchived(taskUUID)] } : { data: [running] }, 5);
        lookupHeld = false;
      }
    });
    expect(ended).toEqual({ details: 'notFound', video: 'aborted', videoServerCode: undefined });
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
