import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import { authOk, createFakeSockets } from '../support/fake-socket.js';

/*
 * A refusal may say how long to wait before the task is sent again (`retryAfterMs`, from an HTTP
 * Retry-After). A timer cannot hold more than 2^31 − 1 ms (24.8 days) and fires a longer one after
 * 1 ms, so a server asking for a month must still be waited out, not answered by a resend at once.
 * Fake timers behave as Node does with such a delay, so they show it.
 */

const DAY = 24 * 60 * 60 * 1000;
const MONTH = 30 * DAY;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a refusal that asks for a wait longer than a timer can hold', () => {
  it('is waited out in full before the task is sent again', async () => {
    const sockets = createFakeSockets({
      created: (socket) => queueMicrotask(() => socket.open()),
      sent: (socket, text) => {
        for (const task of JSON.parse(text) as { taskType: string; taskUUID: string }[]) {
          if (task.taskType === 'authentication') queueMicrotask(() => socket.receive(authOk('s')));
          else if (task.taskType === 'imageInference') {
            const first = socket.tasks().filter((sent) => sent.taskType === 'imageInference').length === 1;
            const reply = first ? { errors: [{ code: 'rateLimitExceeded', message: 'Slow down.', taskUUID: task.taskUUID, taskType: 'imageInference', retryAfterMs: MONTH }] } : { data: [{ taskType: 'imageInference', taskUUID: task.taskUUID, imageUUID: 'i', imageURL: 'https://im.test/i.png' }] };
            queueMicrotask(() => socket.receive(reply));
          }
        }
      },
    });
    const runware = createRunware({ apiKey: 'k', url: 'ws://x.test/v1', WebSocket: sockets.WebSocket, heartbeatInterval: Infinity, retryDelay: 10 });
    const events: TaskEvent[] = [];
    const failures: unknown[] = [];
    runware.imageInference$({ model: 'runware:101@1', positivePrompt: 'a lighthouse' }, { timeout: Infinity }).subscribe({ next: (event) => events.push(event as TaskEvent), error: (error: unknown) => failures.push(error) });
    const submissions = () => sockets.sockets.flatMap((socket) => socket.tasks()).filter((task) => task.taskType === 'imageInference').length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(failures).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['submitted', 'retrying']);
    expect(events[1]).toMatchObject({ type: 'retrying', delay: MONTH });
    await vi.advanceTimersByTimeAsync(DAY);
    expect(submissions()).toBe(1);
    await vi.advanceTimersByTimeAsync(MONTH - DAY);
    expect(submissions()).toBe(2);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { imageUUID: 'i' } });
    const closed = runware.disconnect();
    await vi.runAllTimersAsync();
    await closed;
  });
});
