import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import { errorMatching } from '../support/marbles.js';
import { TaskTimeoutError } from 'runware-rx';
import type { Recording } from './support.js';
import { inVirtualTime } from './support.js';

/*
 * Every error of a request names its task and says whether it was ever sent, so that a caller
 * can attach to (or reconcile) a task that may be billed; a caller may choose the taskUUID.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const UUID = '5f0c8a52-3c55-4d6c-9a4e-1f2b3c4d5e6f';

describe('errors name their task', () => {
  it('on disconnect(): the running task was sent, the queued one was not', () => {
    let running: Recording | undefined;
    let queued: Recording | undefined;
    inVirtualTime({ client: { maxInFlight: 1 } }, ({ runware, record, scheduler }) => {
      running = record(runware.imageInference$(image, { taskUUID: UUID }));
      queued = record(runware.imageInference$(image));
      scheduler.schedule(() => void runware.disconnect(), 100);
    });
    expect(running?.error).toMatchObject({ code: 'aborted', taskUUID: UUID, taskType: 'imageInference', sent: true });
    expect(queued?.error).toMatchObject({ code: 'aborted', taskType: 'imageInference', sent: false });
    expect(queued?.error?.taskUUID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('on a timeout, with the phase', () => {
    let recording: Recording | undefined;
    inVirtualTime({ client: { timeout: 1000, answerTimeout: Infinity } }, ({ runware, record }) => {
      recording = record(runware.imageInference$(image, { taskUUID: UUID }));
    });
    expect(recording?.error).toEqual(errorMatching(TaskTimeoutError, { phase: 'total', taskUUID: UUID, sent: true }));
  });

  it('when the connection gives up', () => {
    let recording: Recording | undefined;
    inVirtualTime({ client: { maxRetries: 0, authTimeout: 500 } }, ({ runware, record, server }) => {
      recording = record(runware.imageInference$(image, { taskUUID: UUID }));
      // The server never finishes the handshake on any socket.
      for (const socket of server.sockets) socket.muted = true;
    });
    expect(recording?.error).toMatchObject({ taskUUID: UUID, sent: false });
  });

  it('on a promise aborted by its signal before the task was sent', async () => {
    const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://127.0.0.1:9/v1', WebSocket: class { readyState = 0; addEventListener(): void {} send(): void {} close(): void {} } as never });
    const controller = new AbortController();
    const pending = runware.imageInference(image, { signal: controller.signal, taskUUID: UUID });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted', taskUUID: UUID, sent: false });
    const early = new AbortController();
    early.abort();
    await expect(runware.imageInference(image, { signal: early.signal })).rejects.toMatchObject({ code: 'aborted', sent: false, taskUUID: expect.any(String) });
    await runware.disconnect();
  });
});

describe('a taskUUID chosen by the caller', () => {
  it('is the one sent, and a server that already has it is polled instead', () => {
    let recording: Recording | undefined;
    let sent: string[] = [];
    inVirtualTime(
      {
        client: { pollInterval: 200 },
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'getResponse') server.reply({ data: [{ taskType: 'imageInference', taskUUID, status: 'success', imageUUID: 'done-long-ago' }] }, 10);
          else server.reply({ errors: [{ code: 'conflictTaskUUID', message: 'exists', taskUUID }] }, 10);
        },
      },
      ({ runware, record, server, scheduler }) => {
        recording = record(runware.imageInference$(image, { taskUUID: UUID }));
        scheduler.schedule(() => (sent = server.received.map(({ task }) => `${task.taskType} ${task.taskUUID}`)), 60_000);
      },
    );
    expect(sent).toEqual([`imageInference ${UUID}`, `getResponse ${UUID}`]);
    expect(recording?.events.map((event) => event.type)).toEqual(['submitted', 'status', 'result']);
    expect(recording?.completed).toBe(true);
  });

  it('must be a UUID v4: anything else is refused before anything is sent', () => {
    let recording: Recording | undefined;
    let sent = -1;
    inVirtualTime({}, ({ runware, record, server, scheduler }) => {
      recording = record(runware.imageInference$(image, { taskUUID: 'my-task-1' }));
      scheduler.schedule(() => (sent = server.received.length), 1000);
    });
    expect(recording?.error).toMatchObject({ name: 'ValidationError', parameter: 'taskUUID' });
    expect(sent).toBe(0);
  });
});

describe('request options', () => {
  it.each([
    [{ timeout: '300' }, 'timeout'],
    [{ timeout: 3e9 }, 'timeout'],
    [{ timeout: -1 }, 'timeout'],
    [{ settled: 'yes' }, 'settled'],
    [{ retryFailed: 1 }, 'retryFailed'],
    [{ tiemout: 10 }, 'tiemout'],
  ])('refuses %j before anything is sent, naming %s', (options, parameter) => {
    let recording: Recording | undefined;
    inVirtualTime({}, ({ runware, record }) => {
      recording = record(runware.imageInference$(image, options as never));
    });
    expect(recording?.error).toMatchObject({ name: 'ValidationError', code: 'validation', parameter });
  });

  it('refuses a signal that is not an AbortSignal', async () => {
    const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://127.0.0.1:9/v1' });
    await expect(runware.imageInference(image, { signal: {} as AbortSignal })).rejects.toMatchObject({ name: 'ValidationError', parameter: 'signal' });
    await runware.disconnect();
  });

  it('takes Infinity as "no deadline"', () => {
    let recording: Recording | undefined;
    inVirtualTime({ until: 3 * 60 * 60_000, client: { answerTimeout: Infinity } }, ({ runware, record }) => {
      recording = record(runware.imageInference$(image, { timeout: Infinity }));
    });
    // Still waiting after three hours, then ended by the disconnect.
    expect(recording?.error).toMatchObject({ code: 'aborted' });
    expect(recording?.endedAt).toBe(3 * 60 * 60_000);
  });
});
