import { describe, expect, it } from 'vitest';
import { TaskTimeoutError } from 'runware-rx';
import { errorMatching } from '../support/marbles.js';
import type { Recording } from './support.js';
import { inVirtualTime, typesOf } from './support.js';

/*
 * Every wait of a request has a deadline, whatever its delivery: the whole task, and the answer
 * to everything it writes (the acknowledgement of a polled task, each pushed or streamed reply,
 * each poll). In virtual time, so the deadlines are checked to the millisecond.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };
const upload = { name: 'my-lora' };

const retries = (recording: Recording) => recording.events.filter((event) => event.type === 'retrying');

describe('the whole-task deadline', () => {
  it('ends a pushed task the server never answers, at the deadline', () => {
    let recording: Recording | undefined;
    inVirtualTime({ client: { timeout: 5000, answerTimeout: Infinity } }, ({ runware, record }) => {
      recording = record(runware.imageInference$(image));
    });
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'total', code: 'timeout', retryable: false, sent: true }));
    expect(recording?.endedAt).toBe(5000);
  });

  it('ends a polled task that keeps processing, at the deadline', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { timeout: 5000, pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) =>
          server.reply({ data: [{ taskType: 'videoInference', taskUUID, ...(taskType === 'getResponse' ? { status: 'processing' } : {}) }] }, 10),
      },
      ({ runware, record }) => {
        recording = record(runware.videoInference$(video));
      },
    );
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'total' }));
    expect(recording?.endedAt).toBe(5000);
    expect(typesOf(recording!)).toContain('status');
  });

  it('ends a streamed task whose phases never reach the final one, at the deadline', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { timeout: 5000, answerTimeout: 2000 },
        handler: ({ taskUUID }, server) => {
          for (let at = 500; at < 20_000; at += 1000) server.reply({ data: [{ taskType: 'streamedTask', taskUUID, status: 'downloading' }] }, at);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.streamedTask$(upload));
      },
    );
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'total' }));
    expect(recording?.endedAt).toBe(5000);
    expect(typesOf(recording!).filter((type) => type === 'partial')).toHaveLength(5);
  });

  it('starts when the task leaves the maxInFlight queue, not when it was asked for', () => {
    let second: Recording | undefined;
    inVirtualTime({ client: { timeout: 5000, answerTimeout: Infinity, maxInFlight: 1 } }, ({ runware, record, scheduler }) => {
      const first = runware.imageInference$(image).subscribe();
      second = record(runware.imageInference$(image));
      scheduler.schedule(() => first.unsubscribe(), 3000);
    });
    expect(second?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'total' }));
    expect(second?.endedAt).toBe(8000);
  });
});

describe('the answer deadline', () => {
  it('re-sends a pushed task that got no answer, under the same taskUUID, then gives up', () => {
    let recording: Recording | undefined;
    let submissions: string[] = [];
    inVirtualTime({ client: { answerTimeout: 1000, maxRetries: 1 } }, ({ runware, record, server, scheduler }) => {
      recording = record(runware.imageInference$(image));
      scheduler.schedule(() => (submissions = server.tasks('imageInference').map((task) => task.taskUUID)), 60_000);
    });
    expect(retries(recording!)).toEqual([expect.objectContaining({ error: errorMatching(TaskTimeoutError, { phase: 'answer', timeoutMs: 1000 }) })]);
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'answer' }));
    expect(submissions).toHaveLength(2);
    expect(new Set(submissions).size).toBe(1);
    // Written at 2 (after authentication), unanswered at 1002, re-sent 100 ms later, unanswered again.
    expect(recording?.endedAt).toBe(2102);
  });

  it('runs between pushed results too: a silence after the first result re-sends, and the conflict is polled', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { answerTimeout: 1000, pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const result = (n: number) => ({ taskType: 'imageInference', taskUUID, imageUUID: `image-${n}`, status: 'success' });
          if (taskType === 'getResponse') server.reply({ data: [result(1), result(2)] }, 10);
          else if (server.tasks('imageInference').length === 1) server.reply({ data: [result(1)] }, 500);
          else server.reply({ errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID }] }, 10);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 2 }));
      },
    );
    const retry = retries(recording!)[0];
    expect(retry).toMatchObject({ error: { phase: 'answer' } });
    expect(recording?.completed).toBe(true);
    expect(typesOf(recording!).filter((type) => type === 'result')).toHaveLength(2);
  });

  it('re-sends a polled task whose acknowledgement never came', () => {
    let recording: Recording | undefined;
    inVirtualTime({ client: { ackTimeout: 1000, maxRetries: 1 } }, ({ runware, record }) => {
      recording = record(runware.videoInference$(video));
    });
    expect(retries(recording!)).toEqual([expect.objectContaining({ error: errorMatching(TaskTimeoutError, { phase: 'ack', timeoutMs: 1000 }) })]);
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'ack' }));
    expect(recording?.endedAt).toBe(2102);
  });

  it('re-sends an unanswered poll three times, then retries the attempt as polls, never re-submitting', () => {
    let recording: Recording | undefined;
    let polls: number[] = [];
    let submissions = 0;
    inVirtualTime(
      {
        client: { pollInterval: 200, pollTimeout: 500, maxRetries: 1 },
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.videoInference$(video));
        scheduler.schedule(() => {
          polls = server.received.filter(({ task }) => task.taskType === 'getResponse').map(({ at }) => at);
          submissions = server.tasks('videoInference').length;
        }, 60_000);
      },
    );
    expect(submissions).toBe(1);
    // Acknowledged at 12; first poll 200 later; each unanswered poll re-sent after 500 ms.
    expect(polls.slice(0, 4)).toEqual([212, 712, 1212, 1712]);
    expect(retries(recording!)).toEqual([expect.objectContaining({ error: errorMatching(TaskTimeoutError, { phase: 'poll', timeoutMs: 500 }) })]);
    expect(polls).toHaveLength(8);
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'poll' }));
  });

  it('runs between streamed phases: a silence after a phase re-sends the task', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { answerTimeout: 1000, maxRetries: 1 },
        handler: ({ taskUUID }, server) => server.reply({ data: [{ taskType: 'streamedTask', taskUUID, status: 'validated' }] }, 100),
      },
      ({ runware, record }) => {
        recording = record(runware.streamedTask$(upload));
      },
    );
    expect(typesOf(recording!).slice(0, 3)).toEqual(['submitted', 'partial', 'retrying']);
    expect(retries(recording!)[0]).toMatchObject({ error: { phase: 'answer' } });
    // The phase came at 102; silence until 1102; re-sent at 1202, its phase at 1302, silence until 2302.
    expect(recording?.endedAt).toBe(2302);
  });
});
