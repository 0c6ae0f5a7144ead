import { describe, expect, it } from 'vitest';
import { KNOWN_DEFECTS } from '../support/known-defects.js';
import type { Recording } from './support.js';
import { inVirtualTime, resultsOf, typesOf } from './support.js';

/*
 * Pushed items without an identity that repeat an earlier frame's words. Such a failure is either
 * that frame arriving twice (protocol §8 #18: a client must survive duplicated frames) or a second
 * generation failing alike (two images refused by the same content check). Failures carry no
 * identity, so a guess is wrong one way or the other: counted twice, a retried task is re-run
 * before its last result, which is then lost and made again; counted once, a settled task waits
 * for an item that will never come. Here the server answers a poll with its whole state, which
 * would settle it. A text without an output UUID meets the same doubt, decided the other way:
 * identical texts stay distinct results. Known defects (test/support/known-defects.ts,
 * `repeatedPushedFailure`, `duplicatedKeylessResult`): while a flag is set its tests run as `it.fails`.
 */

const specification = (known: boolean) => (known ? it.fails : it);

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const FAILURE = { code: 'timeoutProvider', message: 'the provider did not answer' };

/** What a poll of the task answers at `now`: every generation with its status, as §5.3 lists them. */
type Generation = { readonly failsAt?: number; readonly imageUUID?: string; readonly readyAt?: number };
const pollAnswer = (taskUUID: string, generations: readonly Generation[], now: number) => ({
  data: generations.flatMap((generation) =>
    generation.failsAt !== undefined && now >= generation.failsAt
      ? []
      : [generation.readyAt !== undefined && now >= generation.readyAt ? { taskType: 'imageInference', taskUUID, status: 'success', imageUUID: generation.imageUUID } : { taskType: 'imageInference', taskUUID, status: 'processing' }],
  ),
  errors: generations.filter((generation) => generation.failsAt !== undefined && now >= generation.failsAt).map(() => ({ ...FAILURE, taskUUID, taskType: 'imageInference', status: 'error' })),
});

describe('a pushed failure that repeats one of an earlier frame', () => {
  specification(KNOWN_DEFECTS.repeatedPushedFailure)('is the same frame again: a retried task waits for its other results, keeps them, and makes only the failed one again', () => {
    let recording: Recording | undefined;
    const submissions: { numberResults: unknown }[] = [];
    const generations: Generation[] = [{ failsAt: 10 }, { imageUUID: 'image-1', readyAt: 20 }, { imageUUID: 'image-2', readyAt: 40 }];
    inVirtualTime(
      {
        client: { retryFailed: true },
        handler: (task, server) => {
          const { taskUUID, taskType } = task;
          if (taskType === 'getResponse') {
            server.reply(pollAnswer(taskUUID, submissions.length === 1 ? generations : [], server.received.at(-1)!.at), 1);
            return;
          }
          submissions.push({ numberResults: task['numberResults'] });
          const result = (name: string, delay: number) => server.reply({ data: [{ taskType, taskUUID, imageUUID: name }] }, delay);
          if (submissions.length > 1) {
            result('rerun-1', 10);
            return;
          }
          const failure = { errors: [{ ...FAILURE, taskUUID, taskType }] };
          server.reply(failure, 10);
          server.reply(failure, 11);
          result('image-1', 20);
          result('image-2', 40);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 3 }));
      },
    );
    expect(resultsOf(recording!).map((item) => (item as { imageUUID: string }).imageUUID)).toEqual(['image-1', 'image-2', 'rerun-1']);
    expect(submissions).toEqual([{ numberResults: 3 }, { numberResults: 1 }]);
    expect(recording?.completed).toBe(true);
  });

  specification(KNOWN_DEFECTS.repeatedPushedFailure)('is a second generation failing alike: a settled task reports both failures at once, not at its answer deadline', () => {
    let recording: Recording | undefined;
    const generations: Generation[] = [{ failsAt: 10 }, { failsAt: 20 }, { imageUUID: 'image-1', readyAt: 30 }];
    inVirtualTime(
      {
        handler: (task, server) => {
          const { taskUUID, taskType } = task;
          if (taskType === 'getResponse') {
            server.reply(pollAnswer(taskUUID, generations, server.received.at(-1)!.at), 1);
            return;
          }
          server.reply({ errors: [{ ...FAILURE, taskUUID, taskType }] }, 10);
          server.reply({ errors: [{ ...FAILURE, taskUUID, taskType }] }, 20);
          server.reply({ data: [{ taskType, taskUUID, imageUUID: 'image-1' }] }, 30);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 3 }, { settled: true }));
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'failed', 'failed', 'result']);
    expect(recording?.completed).toBe(true);
    // The result came at 30 ms: the task ends then, two minutes before its answer deadline.
    expect(recording?.endedAt).toBeLessThan(100);
  });
});

describe('a pushed result without an output UUID whose frame arrives twice', () => {
  specification(KNOWN_DEFECTS.duplicatedKeylessResult)('is delivered once, and the task waits for its next result', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => {
          const text = (words: string) => ({ data: [{ taskType: 'streamedTask', taskUUID, status: 'ready', text: words }] });
          server.reply(text('version A'), 10);
          server.reply(text('version A'), 11);
          server.reply(text('version B'), 30);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.streamedTask$({ name: 'versions', numberResults: 2 }));
      },
    );
    expect(resultsOf(recording!).map((item) => (item as { text: string }).text)).toEqual(['version A', 'version B']);
  });
});
