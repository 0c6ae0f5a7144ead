import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError, TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * A pushed (sync) task of two texts is re-sent after a reconnect and answered conflictTaskUUID, so
 * it polls. Its original results are still pushed (the resumed session's replay / the sync
 * delivery), one per frame, and the two texts happen to be identical. README: "two identical texts
 * stay two results". Each pushed frame is one result, not the task's whole state, so the second
 * must be delivered when it arrives. Read as a whole state, both pushed texts would be
 * "position 0", the second taken for a duplicate and held back until a later poll answer lists both.
 */
describe('a sync task polled after conflictTaskUUID, its two identical texts pushed in separate frames', () => {
  it('delivers the second text when its frame arrives, not at a later poll', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const texts: { text: string; at: number }[] = [];
    const outcome: { error?: RunwareError; completed?: boolean; endedAt?: number } = {};
    scheduler.run(() => {
      let submissions = 0;
      const text = (taskUUID: string) => ({ taskType: 'promptEnhance', taskUUID, text: 'a lighthouse at dusk' });
      const server = createVirtualServer(scheduler, (task, host) => {
        const { taskType, taskUUID } = task;
        if (taskType === 'promptEnhance') {
          submissions += 1;
          // The first submission is taken and runs; the re-send after the reconnect is a conflict.
          if (submissions > 1) host.reply({ errors: [{ code: 'conflictTaskUUID', message: 'A task with this taskUUID already exists.', taskUUID, parameter: 'taskUUID' }] }, 1);
          if (submissions === 2) {
            // Its two (identical) results are pushed as each is ready, one per frame.
            host.reply({ data: [text(taskUUID)] }, 300);
            host.reply({ data: [text(taskUUID)] }, 600);
          }
        }
        if (taskType === 'getResponse') {
          const done = scheduler.now() >= 8_000;
          host.reply({ data: done ? [{ ...text(taskUUID), status: 'success' }, { ...text(taskUUID), status: 'success' }] : [{ taskType: 'promptEnhance', taskUUID, status: 'processing' }, { taskType: 'promptEnhance', taskUUID, status: 'processing' }] }, 1);
        }
      });
      const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 5_000, retryDelay: 100 });
      runware.promptEnhance$({ prompt: 'lighthouse', promptVersions: 2 }).subscribe({
        next: (event: TaskEvent<unknown, unknown>) => {
          if (event.type === 'result') texts.push({ text: (event.item as { text: string }).text, at: scheduler.now() });
        },
        error: (error: RunwareError) => {
          outcome.error = error;
          outcome.endedAt = scheduler.now();
        },
        complete: () => {
          outcome.completed = true;
          outcome.endedAt = scheduler.now();
        },
      });
      scheduler.schedule(() => server.sockets[0]!.serverClose(1006), 50);
      scheduler.schedule(() => void runware.disconnect(), 60_000);
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.completed).toBe(true);
    expect(texts.map((entry) => entry.text)).toEqual(['a lighthouse at dusk', 'a lighthouse at dusk']);
    // Both pushed frames arrive within about a second of the start; nothing should wait for the poll at 8 s+.
    expect(texts.map((entry) => entry.at < 2_000)).toEqual([true, true]);
  });
});
