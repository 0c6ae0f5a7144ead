import { describe, expect, it } from 'vitest';
import type { Recording, Scene, SceneOptions } from './support.js';
import { inVirtualTime, resultsOf } from './support.js';

/*
 * Protocol §4.2.1: with numberResults > 1 the seeds increment by 1 (seed, seed + 1, ...). A task
 * re-run with retryFailed asks only for the missing results (run-failure.ts), but sends the
 * caller's seed unchanged: the re-run makes the generation of `seed` again — the image already
 * delivered — instead of the missing one of `seed + 1`.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', numberResults: 2, seed: 100 };

function submitted(options: SceneOptions, request: (runware: Scene['runware']) => Parameters<Scene['record']>[0], read?: (server: Scene['server']) => void) {
  let recording: Recording | undefined;
  let submissions: Record<string, unknown>[] = [];
  inVirtualTime(options, ({ runware, record, server, scheduler }) => {
    recording = record(request(runware));
    scheduler.schedule(() => {
      submissions = server.tasks('imageInference');
      read?.(server);
    }, 60_000);
  });
  return { recording: recording!, submissions };
}

describe('a task of several results with a seed, re-run with retryFailed', () => {
  it('does not ask again for the generation of a seed already delivered', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID, seed }, server) => {
          const first = server.tasks('imageInference').length === 1;
          server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-a`, seed }] }, 10);
          if (first) server.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID }] }, 20);
        },
      },
      (runware) => runware.imageInference$(image),
    );
    expect(resultsOf(recording)).toHaveLength(2);
    expect(submissions.map((task) => task['numberResults'])).toEqual([2, 1]);
    // The delivered result was made with seed 100; the missing one is seed 101's.
    expect(submissions[1]?.['seed']).toBe(101);
  });

  it('asks for the first missing seed onwards when the missing ones follow each other', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID, seed }, server) => {
          if (server.tasks('imageInference').length === 1) {
            server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-a`, seed: 102 }] }, 10);
            for (const at of [20, 30]) server.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: `the provider did not answer ${at}`, taskUUID }] }, at);
          } else server.reply({ data: [0, 1].map((n) => ({ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-${n}`, seed: Number(seed) + n })) }, 10);
        },
      },
      (runware) => runware.imageInference$({ ...image, numberResults: 3 }),
    );
    expect(submissions.map((task) => [task['numberResults'], task['seed']])).toEqual([[3, 100], [2, 100]]);
    expect(resultsOf(recording).map((item) => (item as { seed: number }).seed)).toEqual([102, 100, 101]);
  });

  it('leaves the seed out when the missing ones are apart, rather than make a delivered one again', () => {
    const { submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-a`, seed: 101 }] }, 10);
            for (const at of [20, 30]) server.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: `the provider did not answer ${at}`, taskUUID }] }, at);
          } else server.reply({ data: [0, 1].map((n) => ({ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-${n}`, seed: 7 + n })) }, 10);
        },
      },
      (runware) => runware.imageInference$({ ...image, numberResults: 3 }),
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([3, 2]);
    expect(submissions[1]).not.toHaveProperty('seed');
  });

  it('keeps a BigInt seed a BigInt, exact on the wire', () => {
    const big = 9007199254740993n;
    let written: string[] = [];
    submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            server.reply('{"data":[{"taskType":"imageInference","taskUUID":"' + taskUUID + '","imageUUID":"a","seed":9007199254740993}]}', 10);
            server.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID }] }, 20);
          } else server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: 'b' }] }, 10);
        },
      },
      (runware) => runware.imageInference$({ ...image, seed: big }),
      (server) => (written = server.sockets.flatMap((socket) => socket.sent).filter((text) => text.includes('"imageInference"'))),
    );
    expect(written).toHaveLength(2);
    expect(written[1]).toContain('"seed":9007199254740994');
  });

  it('goes without a seed rather than above the largest one, 2^63 − 1', () => {
    const MAX = 9223372036854775807n;
    let written: string[] = [];
    submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            server.reply(`{"data":[{"taskType":"imageInference","taskUUID":"${taskUUID}","imageUUID":"a","seed":${MAX - 1n}},{"taskType":"imageInference","taskUUID":"${taskUUID}","imageUUID":"b","seed":${MAX}}]}`, 10);
            server.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID }] }, 20);
          } else server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: 'c' }] }, 10);
        },
      },
      (runware) => runware.imageInference$({ ...image, numberResults: 3, seed: MAX - 1n }),
      (server) => (written = server.sockets.flatMap((socket) => socket.sent).filter((text) => text.includes('"imageInference"'))),
    );
    expect(written).toHaveLength(2);
    expect(written[1]).not.toContain('"seed"');
  });
});
