import { describe, expect, it } from 'vitest';
import type { Recording } from './support.js';
import { inVirtualTime, resultsOf, typesOf } from './support.js';

/*
 * Results are numbered in arrival order and each is delivered once, whatever the delivery: a
 * frame the server sends twice, a cumulative poll answer, a replay. Results without an output
 * UUID are recognised by what they say, and identical ones by how many came before: their place in
 * a poll answer moves as generations finish in any order.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };

const keysOf = (recording: Recording, field: string) => resultsOf(recording).map((item) => (item as Record<string, unknown>)[field]);

describe('de-duplication', () => {
  it('delivers a pushed result once when its frame arrives twice before the next result', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => {
          const result = (n: number) => ({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `image-${n}` }] });
          server.reply(result(1), 10);
          server.reply(result(1), 20);
          server.reply(result(2), 30);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 2 }));
      },
    );
    expect(keysOf(recording!, 'imageUUID')).toEqual(['image-1', 'image-2']);
    expect(recording?.events.flatMap((event) => (event.type === 'result' ? [event.index] : []))).toEqual([0, 1]);
    expect(recording?.endedAt).toBe(32);
  });

  it('delivers each polled result once although every poll answer repeats the earlier ones', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const success = (n: number) => ({ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: `video-${n}` });
          const running = { taskType: 'videoInference', taskUUID, status: 'processing' };
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else if (server.tasks('getResponse').length < 3) server.reply({ data: [success(1), running] }, 10);
          else server.reply({ data: [success(1), success(2)] }, 10);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.videoInference$({ ...video, numberResults: 2 }));
      },
    );
    expect(keysOf(recording!, 'videoUUID')).toEqual(['video-1', 'video-2']);
    expect(recording?.completed).toBe(true);
  });

  it('delivers a streamed final item once when it is repeated before the last one', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => {
          const item = (fields: object) => ({ data: [{ taskType: 'streamedTask', taskUUID, ...fields }] });
          server.reply(item({ status: 'validated' }), 10);
          server.reply(item({ status: 'ready', modelUUID: 'model-1' }), 20);
          server.reply(item({ status: 'ready', modelUUID: 'model-1' }), 30);
          server.reply(item({ status: 'ready', modelUUID: 'model-2' }), 40);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.streamedTask$({ name: 'twins', numberResults: 2 }));
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'partial', 'result', 'result']);
    expect(keysOf(recording!, 'modelUUID')).toEqual(['model-1', 'model-2']);
  });

  it('keeps identical results without an output UUID: each position is one result', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const text = { taskType: 'streamedTask', taskUUID, status: 'ready', text: 'same words' };
          if (taskType === 'streamedTask') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else if (server.tasks('getResponse').length === 1) server.reply({ data: [text, { taskType: 'streamedTask', taskUUID, status: 'processing' }] }, 10);
          else server.reply({ data: [text, text] }, 10);
        },
      },
      ({ runware, record }) => {
        // Sent async, the streamed task is polled; its results have no modelUUID here.
        recording = record(runware.streamedTask$({ name: 'texts', numberResults: 2, deliveryMethod: 'async' }));
      },
    );
    expect(resultsOf(recording!)).toHaveLength(2);
    expect(recording?.completed).toBe(true);
  });
});

describe('numbering', () => {
  it('numbers results spread over frames in the order they arrive', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => {
          for (const [n, at] of [
            [3, 5],
            [1, 40],
            [2, 90],
          ] as const) {
            server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `image-${n}` }] }, at);
          }
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 3 }));
      },
    );
    expect(recording?.events.flatMap((event) => (event.type === 'result' ? [[event.index, (event.item as { imageUUID: string }).imageUUID]] : []))).toEqual([
      [0, 'image-3'],
      [1, 'image-1'],
      [2, 'image-2'],
    ]);
  });
});

describe('generations that finish out of order', () => {
  it('delivers each result without an identity once, when a later generation finishes first', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          // The streamed task's results have no modelUUID here: nothing but their words tells them apart.
          const text = (words: string) => ({ taskType: 'streamedTask', taskUUID, status: 'ready', text: words });
          const running = { taskType: 'streamedTask', taskUUID, status: 'processing' };
          const answers = [
            [running, running, running, text('fourth')],
            [running, text('second'), running, text('fourth')],
            [text('first'), text('second'), text('third'), text('fourth')],
          ];
          if (taskType === 'streamedTask') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else server.reply({ data: answers[server.tasks('getResponse').length - 1] ?? answers[2]! }, 10);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.streamedTask$({ name: 'texts', numberResults: 4, deliveryMethod: 'async' }));
      },
    );
    expect(keysOf(recording!, 'text')).toEqual(['fourth', 'second', 'first', 'third']);
    expect(recording?.completed).toBe(true);
  });

  it('counts each settled failure once, when a generation fails after a later one and leaves the list for errors', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const running = { taskType: 'videoInference', taskUUID, status: 'processing' };
          const success = { taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'video-2' };
          const unsafe = { code: 'contentPolicyViolation', status: 'error', message: 'blocked', taskUUID };
          const late = { code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID };
          const answers = [
            { data: [running, running], errors: [late] },
            { data: [success], errors: [unsafe, late] },
          ];
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else server.reply(answers[server.tasks('getResponse').length - 1] ?? answers[1]!, 10);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.videoInference$({ ...video, numberResults: 3 }, { settled: true }));
      },
    );
    const failures = recording!.events.flatMap((event) => (event.type === 'failed' ? [event.error.serverCode] : []));
    expect(failures).toEqual(['timeoutProvider', 'contentPolicyViolation']);
    expect(keysOf(recording!, 'videoUUID')).toEqual(['video-2']);
    expect(recording?.completed).toBe(true);
  });
});

describe('settled failures', () => {
  it('counts a pushed failure once when its frame arrives twice, and still delivers the result after it', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => {
          const failure = { errors: [{ code: 'timeoutProvider', message: 'the provider did not answer', taskUUID }] };
          server.reply(failure, 10);
          server.reply(failure, 11);
          server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: 'image-2' }] }, 40);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 2 }, { settled: true }));
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'failed', 'result']);
    expect(recording?.completed).toBe(true);
  });

  it('reports the failed generation of a single-result task as a failed item whether it is pushed or polled', () => {
    const failure = (taskUUID: string, extra: object) => ({ errors: [{ code: 'timeoutProvider', message: 'the provider did not answer', taskUUID, ...extra }] });
    let pushed: Recording | undefined;
    let polled: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'imageInference') server.reply(failure(taskUUID, { taskType }), 10);
          else if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 1);
          // A poll answer marks a failed generation with `status: "error"`; a pushed failure does not.
          else server.reply(failure(taskUUID, { taskType: 'videoInference', status: 'error' }), 10);
        },
      },
      ({ runware, record }) => {
        pushed = record(runware.imageInference$(image, { settled: true }));
        polled = record(runware.videoInference$(video, { settled: true }));
      },
    );
    for (const recording of [pushed!, polled!]) {
      expect(typesOf(recording).filter((type) => type === 'failed' || type === 'result')).toEqual(['failed']);
      expect(recording.events.find((event) => event.type === 'failed')).toMatchObject({ index: 0, error: { code: 'timeout', serverCode: 'timeoutProvider' } });
      expect(recording.error).toBeUndefined();
      expect(recording.completed).toBe(true);
    }
  });
});

describe('results lost with a socket', () => {
  it('are recovered after a resumed reconnect: a task with results still to come is sent again, and polled', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200, heartbeatInterval: 1000, heartbeatTimeout: 1000 },
        handler: ({ taskType, taskUUID }, server) => {
          const item = (n: number) => ({ taskType: 'imageInference', taskUUID, imageUUID: `image-${n}`, status: 'success' });
          if (taskType === 'getResponse') server.reply({ data: [item(1), item(2)] }, 10);
          // On the first socket only the first result arrives; the second is lost when it dies.
          else if (server.sockets.length === 1) server.reply({ data: [item(1)] }, 10);
          else server.reply({ errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID }] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 2 }));
        scheduler.schedule(() => server.sockets[0]?.serverClose(1006), 50);
      },
    );
    expect(resultsOf(recording!).map((item) => (item as { imageUUID: string }).imageUUID)).toEqual(['image-1', 'image-2']);
    expect(recording?.completed).toBe(true);
    // Long before the 120 s answer deadline would have sent it again.
    expect(recording?.endedAt).toBeLessThan(5000);
  });
});

describe('a result beside a conflict', () => {
  it('is delivered when the same frame says the server already has the task, and ends the request without a poll', () => {
    let recording: Recording | undefined;
    let polls = 0;
    inVirtualTime(
      {
        // The server answers a resend of the taskUUID with conflictTaskUUID and, in the same
        // frame, the result of the task it already had.
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'getResponse') server.reply({ errors: [{ code: 'taskNotFound', message: 'gone', taskUUID }] }, 10);
          else server.reply({ data: [{ taskType, taskUUID, imageUUID: 'image-1', imageURL: 'https://im.test/1.png' }], errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID }] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$(image, { taskUUID: '6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5' }));
        scheduler.schedule(() => (polls = server.tasks('getResponse').length), 60_000);
      },
    );
    expect(resultsOf(recording!)).toMatchObject([{ imageUUID: 'image-1' }]);
    expect(recording?.error).toBeUndefined();
    expect(recording?.completed).toBe(true);
    expect(polls).toBe(0);
  });
});
