import { describe, expect, it } from 'vitest';
import type { Recording, Scene, SceneOptions } from './support.js';
import { inVirtualTime, resultsOf, typesOf } from './support.js';

/*
 * Failures before the server took a task are retried under the same taskUUID; failures after it
 * took the task are final, unless the caller allows a re-run under a new taskUUID.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };
const error = (taskUUID: string, code: string, extra: object = {}) => ({ errors: [{ code, message: code, taskUUID, ...extra }] });
const result = (taskUUID: string, n = 1) => ({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-${n}` }] });

/** Runs one request and reads every submission of its task type the server received, in order. */
function submitted(options: SceneOptions, taskType: string, request: (runware: Scene['runware']) => Parameters<Scene['record']>[0]) {
  let recording: Recording | undefined;
  let submissions: Record<string, unknown>[] = [];
  inVirtualTime(options, ({ runware, record, server, scheduler }) => {
    recording = record(request(runware));
    scheduler.schedule(() => (submissions = server.tasks(taskType)), 60_000);
  });
  return { recording: recording!, submissions };
}

describe('before the server took the task', () => {
  it.each(['rateLimitExceeded', 'internalServerError'])('sends it again under the same taskUUID after %s', (code) => {
    let recording: Recording | undefined;
    let submissions: string[] = [];
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => server.reply(server.tasks('imageInference').length === 1 ? error(taskUUID, code) : result(taskUUID), 10),
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$(image));
        scheduler.schedule(() => (submissions = server.tasks('imageInference').map((task) => task.taskUUID)), 60_000);
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'retrying', 'result']);
    expect(recording?.events[1]).toMatchObject({ type: 'retrying', taskUUID: submissions[0], error: { serverCode: code } });
    expect(recording?.events[1]).not.toHaveProperty('newTask');
    expect(submissions).toHaveLength(2);
    expect(submissions[1]).toBe(submissions[0]);
  });

  it('polls again, not re-submits, when a poll of an accepted task is rate limited', () => {
    let recording: Recording | undefined;
    let submissions = 0;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const polls = server.tasks('getResponse').length;
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else if (polls === 1) server.reply(error(taskUUID, 'rateLimitExceeded'), 10);
          else server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v' }] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.videoInference$(video));
        scheduler.schedule(() => (submissions = server.tasks('videoInference').length), 60_000);
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'accepted', 'retrying', 'status', 'result']);
    expect(submissions).toBe(1);
  });
});

describe('after the server took the task', () => {
  it('fails at once on a provider timeout, without re-sending the task', () => {
    let recording: Recording | undefined;
    let submissions = 0;
    inVirtualTime(
      { handler: ({ taskUUID }, server) => server.reply(error(taskUUID, 'timeoutProvider'), 10) },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$(image));
        scheduler.schedule(() => (submissions = server.received.length), 60_000);
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted']);
    expect(recording?.error).toMatchObject({ code: 'timeout', serverCode: 'timeoutProvider', retryable: true, sent: true });
    expect(submissions).toBe(1);
  });

  it('fails at once when a polled generation failed', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else server.reply(error(taskUUID, 'providerRateLimitExceeded', { status: 'error' }), 10);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.videoInference$(video));
      },
    );
    expect(typesOf(recording!)).not.toContain('retrying');
    expect(recording?.error).toMatchObject({ serverCode: 'providerRateLimitExceeded' });
  });

  it('fails at once when a result came and then the server failed the task', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      {
        handler: ({ taskUUID }, server) => {
          server.reply(result(taskUUID, 1), 10);
          server.reply(error(taskUUID, 'internalServerError'), 20);
        },
      },
      ({ runware, record }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 2 }));
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted', 'result']);
    expect(recording?.error).toMatchObject({ code: 'serverError' });
  });

  it('re-runs the task under a new taskUUID with retryFailed, asking only for the missing results', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            server.reply(result(taskUUID, 1), 10);
            server.reply(error(taskUUID, 'timeoutProvider'), 20);
          } else server.reply(result(taskUUID, 2), 10);
        },
      },
      'imageInference',
      (runware) => runware.imageInference$({ ...image, numberResults: 2 }),
    );
    expect(typesOf(recording)).toEqual(['submitted', 'result', 'retrying', 'submitted', 'result']);
    const [, , retry, resubmitted] = recording.events;
    expect(retry).toMatchObject({ type: 'retrying', newTask: true, taskUUID: submissions[1]?.['taskUUID'], error: { serverCode: 'timeoutProvider', taskUUID: submissions[0]?.['taskUUID'] } });
    expect(resubmitted).toMatchObject({ type: 'submitted', taskUUID: submissions[1]?.['taskUUID'] });
    expect(submissions.map((task) => task['numberResults'])).toEqual([2, 1]);
    expect(submissions[1]?.['taskUUID']).not.toBe(submissions[0]?.['taskUUID']);
    expect(resultsOf(recording)).toHaveLength(2);
    expect(recording?.completed).toBe(true);
  });

  it('re-runs a pushed task once, after reading the whole frame: every failure of it counted, every result of it kept', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            const failure = { code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID };
            // Two failures and a result in one frame: one re-run, for the two failed items.
            server.reply({ data: [{ taskType: 'imageInference', taskUUID, status: 'error', error: failure }, { taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-1` }], errors: [failure] }, 10);
          } else {
            server.reply(result(taskUUID, 2), 10);
            server.reply(result(taskUUID, 3), 20);
          }
        },
      },
      'imageInference',
      (runware) => runware.imageInference$({ ...image, numberResults: 3 }),
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([3, 2]);
    expect(new Set(submissions.map((task) => task['taskUUID'])).size).toBe(2);
    expect(recording?.events.filter((event) => event.type === 'retrying')).toHaveLength(1);
    expect(resultsOf(recording)).toHaveLength(3);
    expect(recording?.completed).toBe(true);
  });

  it('waits for the rest of a pushed task before re-running its failed item: results still to come under the first taskUUID are kept', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            // The first of three items fails; the other two follow, each in its own frame.
            server.reply(error(taskUUID, 'timeoutProvider', { status: 'error' }), 10);
            server.reply(result(taskUUID, 1), 20);
            server.reply(result(taskUUID, 2), 30);
          } else server.reply(result(taskUUID, 3), 10);
        },
      },
      'imageInference',
      (runware) => runware.imageInference$({ ...image, numberResults: 3 }),
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([3, 1]);
    expect(typesOf(recording)).toEqual(['submitted', 'result', 'result', 'retrying', 'submitted', 'result']);
    expect(resultsOf(recording)).toHaveLength(3);
    expect(recording?.completed).toBe(true);
  });

  it('re-runs a pushed task once each item has failed, when they fail with the same words in frames of their own', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) {
            for (const at of [10, 20]) server.reply(error(taskUUID, 'timeoutProvider', { status: 'error' }), at);
          } else server.reply({ data: [1, 2].map((n) => result(taskUUID, n).data[0]) }, 10);
        },
      },
      'imageInference',
      (runware) => runware.imageInference$({ ...image, numberResults: 2 }),
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([2, 2]);
    expect(resultsOf(recording)).toHaveLength(2);
    // Both items had failed by 20 ms: no wait for the answer deadline's two minutes of silence.
    expect(recording.endedAt).toBeLessThan(1000);
  });

  it('re-runs a pushed task whose other items never come once their answer deadline passes, asking for every result missing', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true, answerTimeout: 5000 },
        handler: ({ taskUUID }, server) => {
          if (server.tasks('imageInference').length === 1) server.reply(error(taskUUID, 'timeoutProvider', { status: 'error' }), 10);
          else server.reply({ data: [1, 2, 3].map((n) => result(taskUUID, n).data[0]) }, 10);
        },
      },
      'imageInference',
      (runware) => runware.imageInference$({ ...image, numberResults: 3 }),
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([3, 3]);
    expect(recording.events.find((event) => event.type === 'retrying')).toMatchObject({ newTask: true, error: { serverCode: 'timeoutProvider' } });
    expect(resultsOf(recording)).toHaveLength(3);
    expect(recording?.completed).toBe(true);
    expect(recording?.endedAt).toBeGreaterThanOrEqual(5000);
  });

  it('takes only a poll answer, not a pushed failure, as saying nothing runs any more', () => {
    const chosen = '5b1f7c2e-8a4d-4e6f-9c3b-2d1e0f9a8b7c';
    let submissions: Record<string, unknown>[] = [];
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { retryFailed: true, pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const done = (n: number) => ({ taskType: 'imageInference', taskUUID, status: 'success', imageUUID: `${taskUUID}-${n}` });
          const running = { taskType: 'imageInference', taskUUID, status: 'processing' };
          const failure = { code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID };
          if (taskType === 'imageInference') {
            // The server has the chosen taskUUID already: the request polls it.
            server.reply(taskUUID === chosen ? { errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID }] } : result(taskUUID, 9), 10);
            return;
          }
          const polls = server.tasks('getResponse').length;
          if (polls === 1) {
            server.reply({ data: [done(1), running, running, running] }, 10);
            // A failure pushed between polls (a replay on a resumed session, say): others still run.
            server.reply({ errors: [failure] }, 50);
          } else if (polls === 2) server.reply({ data: [done(1), done(2), running], errors: [failure] }, 10);
          else server.reply({ data: [done(1), done(2), done(3)], errors: [failure] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$({ ...image, numberResults: 4 }, { taskUUID: chosen }));
        scheduler.schedule(() => (submissions = server.tasks('imageInference')), 60_000);
      },
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([4, 1]);
    expect(resultsOf(recording!)).toHaveLength(4);
    expect(recording?.completed).toBe(true);
  });

  it('waits, polling, for the generations still running after one failed, counting the failure once however often answers repeat it', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true, pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const running = { taskType: 'videoInference', taskUUID, status: 'processing' };
          const done = (n: number) => ({ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: `${taskUUID}-${n}` });
          const failure = { code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID };
          if (taskType === 'videoInference') {
            server.reply({ data: [{ taskType, taskUUID }] }, 10);
            return;
          }
          const polls = server.tasks('getResponse').filter((poll) => poll['taskUUID'] === taskUUID).length;
          if (server.tasks('videoInference').length > 1) server.reply({ data: [done(9)] }, 10);
          else if (polls < 3) server.reply({ data: [running, running], errors: [failure] }, 10);
          else server.reply({ data: [done(1), done(2)], errors: [failure] }, 10);
        },
      },
      'videoInference',
      (runware) => runware.videoInference$({ ...video, numberResults: 3 }),
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([3, 1]);
    expect(resultsOf(recording)).toHaveLength(3);
    expect(recording?.events.filter((event) => event.type === 'retrying')).toHaveLength(1);
    expect(recording?.completed).toBe(true);
  });

  it('takes an item in a named phase of a streamed task as still running: the re-run waits for it too', () => {
    const { recording, submissions } = submitted(
      {
        client: { retryFailed: true, pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          const item = (status: string, extra: object = {}) => ({ taskType: 'streamedTask', taskUUID, status, ...extra });
          const failed = item('error', { error: { code: 'timeoutProvider', message: 'the provider did not answer' } });
          if (taskType === 'streamedTask') {
            server.reply({ data: [{ taskType, taskUUID }] }, 10);
            return;
          }
          const polls = server.tasks('getResponse').filter((poll) => poll['taskUUID'] === taskUUID).length;
          if (server.tasks('streamedTask').length > 1) server.reply({ data: [item('ready', { modelUUID: `${taskUUID}-9` })] }, 10);
          else if (polls < 3) server.reply({ data: [failed, item('downloading', { progress: 40 })] }, 10);
          else server.reply({ data: [failed, item('ready', { modelUUID: `${taskUUID}-1` })] }, 10);
        },
      },
      'streamedTask',
      (runware) => runware.streamedTask$({ name: 'weights', numberResults: 2, deliveryMethod: 'async' }),
    );
    // The item still downloading was waited for and kept: the re-run asks only for the failed one.
    expect(submissions.map((task) => task['numberResults'])).toEqual([2, 1]);
    expect(resultsOf(recording)).toHaveLength(2);
    expect(recording.events.filter((event) => event.type === 'retrying')).toHaveLength(1);
    // Each poll answer that finds the phase under way says so, with the server's progress.
    expect(recording.events.find((event) => event.type === 'status')).toMatchObject({ status: 'processing', progress: 40, poll: 1 });
    expect(recording.completed).toBe(true);
  });

  it('re-runs a polled task at once when its answer lists a failure and nothing still running', () => {
    let submissions: Record<string, unknown>[] = [];
    let recording: Recording | undefined;
    inVirtualTime(
      {
        client: { retryFailed: true, pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else if (server.tasks('videoInference').length > 1) {
            const done = (n: number) => ({ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: `${taskUUID}-${n}` });
            server.reply({ data: [done(1), done(2)] }, 10);
          }
          // One failure for the whole batch: the task will deliver nothing more.
          else server.reply({ errors: [{ code: 'timeoutProvider', status: 'error', message: 'the provider did not answer', taskUUID }] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.videoInference$({ ...video, numberResults: 2 }));
        scheduler.schedule(() => (submissions = server.tasks('videoInference')), 60_000);
      },
    );
    expect(submissions.map((task) => task['numberResults'])).toEqual([2, 2]);
    expect(resultsOf(recording!)).toHaveLength(2);
    expect(recording?.completed).toBe(true);
    expect(recording?.endedAt).toBeLessThan(5000);
  });

  it('names the task that was sent, not the re-run still waiting to be, when the request ends during the re-run\'s backoff', async () => {
    let recording: Recording | undefined;
    let submissions: Record<string, unknown>[] = [];
    let aborted: Promise<unknown> | undefined;
    inVirtualTime(
      {
        client: { retryFailed: true, retryDelay: 5000 },
        handler: ({ taskUUID }, server) => server.reply(error(taskUUID, 'timeoutProvider'), 10),
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$(image));
        const controller = new AbortController();
        aborted = runware.imageInference(image, { signal: controller.signal }).catch((failure: unknown) => failure);
        scheduler.schedule(() => {
          submissions = server.tasks('imageInference');
          controller.abort();
          void runware.disconnect();
        }, 1000);
      },
    );
    const [observed, promised] = submissions.map((task) => task['taskUUID']);
    expect(recording?.events.map((event) => event.type)).toEqual(['submitted', 'retrying']);
    expect(recording?.error).toMatchObject({ taskUUID: observed, sent: true });
    expect(await aborted).toMatchObject({ code: 'aborted', taskUUID: promised, sent: true });
  });

  it('lets a request opt in to the re-run when the client does not', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      { handler: ({ taskUUID }, server) => server.reply(server.tasks('imageInference').length === 1 ? error(taskUUID, 'timeoutProvider') : result(taskUUID), 10) },
      ({ runware, record }) => {
        recording = record(runware.imageInference$(image, { retryFailed: true }));
      },
    );
    expect(recording?.completed).toBe(true);
    expect(recording?.events.find((event) => event.type === 'retrying')).toMatchObject({ newTask: true });
  });

  it('never re-runs what cannot succeed again: a validation error', () => {
    let recording: Recording | undefined;
    inVirtualTime(
      { client: { retryFailed: true }, handler: ({ taskUUID }, server) => server.reply(error(taskUUID, 'invalidWidth', { parameter: 'width' }), 10) },
      ({ runware, record }) => {
        recording = record(runware.imageInference$(image));
      },
    );
    expect(typesOf(recording!)).toEqual(['submitted']);
    expect(recording?.error).toMatchObject({ code: 'validation', parameter: 'width' });
  });
});
