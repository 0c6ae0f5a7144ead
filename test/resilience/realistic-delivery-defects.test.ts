import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { OutboundTask } from '../../src/protocol/frames.js';
import type { ImageInferenceResult } from 'runware-rx/tasks';
import { createRunware } from 'runware-rx';
import { authOk, createFakeSockets } from '../support/fake-socket.js';
import { KNOWN_DEFECTS } from '../support/known-defects.js';
import { FAST_RECOVERY } from '../support/resilient-client.js';
import { client, simulator } from '../support/simulator.js';

/*
 * What a client must do when results arrive as the real API sends them: one frame per result,
 * the generations of a task apart. Each of these found a defect of the SDK (see
 * test/support/known-defects.ts); while its flag is set it runs as `it.fails`.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a storm over the sea', width: 256, height: 256 };
const specification = (known: boolean) => (known ? it.fails : it);

describe('delivery one frame per result', () => {
  specification(KNOWN_DEFECTS.duplicatedPushedFailure)(
    'counts a failed item once in settled mode when its frame arrives twice, and still delivers the other result',
    async () => {
      // Latency seed 1: the first generation (the failed one) is due at 224 ms, the second at
      // 251 ms, so the duplicated frame is the failure's and arrives while the success is to come.
      const sim = await simulator({ profile: 'realistic', media: false, imageLatencyMs: 100, latencySeed: 1 });
      const runware = client(sim, FAST_RECOVERY);
      await runware.connect();
      sim.faults.failNextItems(1);
      sim.faults.duplicateResults(1);
      const items = await runware.imageInference({ ...image, numberResults: 2 }, { settled: true });
      expect(sim.faults.counts()).toMatchObject({ itemFailure: 1, duplicate: 1 });
      expect(items.map((item) => item.status).sort()).toEqual(['fulfilled', 'rejected']);
    },
  );

  it('recovers a task none of whose results had arrived before the drop (it re-sends, meets a conflict, polls)', () => {
    const outcome = resumeAfterDrop({ arrived: [] });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results).toEqual(['i1', 'i2']);
  });

  specification(KNOWN_DEFECTS.partialResultsAfterResume)(
    'recovers the results written just before a drop after a resumed reconnect, when the others had arrived',
    () => {
      const outcome = resumeAfterDrop({ arrived: ['i1'] });
      expect(outcome.failure).toBeUndefined();
      expect(outcome.results).toEqual(['i1', 'i2']);
    },
  );
});

/**
 * A task of two results; the results in `arrived` reach the client, then the socket dies with the
 * others in flight (the server counts them as delivered and will not replay them). The client
 * reconnects and the server resumes the session, answering what the client asks as the API does:
 * a re-sent submission with `conflictTaskUUID`, a `getResponse` with both results. In virtual time,
 * up to two minutes.
 */
function resumeAfterDrop({ arrived }: { readonly arrived: readonly string[] }): { results: string[]; failure: unknown } {
  const sockets = createFakeSockets();
  const results: string[] = [];
  let completed = false;
  let failure: unknown;
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    const runware = createRunware({ apiKey: 'k', url: 'ws://sim.test/v1', WebSocket: sockets.WebSocket, ...FAST_RECOVERY });
    runware.image$({ ...image, numberResults: 2 }).subscribe({
      next: (event) => {
        if (event.type === 'result') results.push(String((event.item as ImageInferenceResult).imageUUID));
      },
      complete: () => (completed = true),
      error: (error: unknown) => (failure = error),
    });
    let taskUUID = '';
    const itemFor = (imageUUID: string) => ({ taskType: 'imageInference', taskUUID, imageUUID, imageURL: `http://x/${imageUUID}.jpg` });
    scheduler.schedule(() => sockets.last().open(), 1);
    scheduler.schedule(() => sockets.last().receive(authOk('s1')), 2);
    scheduler.schedule(() => {
      taskUUID = String(sockets.last().tasks().find((task) => task.taskType === 'imageInference')?.taskUUID);
      for (const imageUUID of arrived) sockets.last().receive({ data: [itemFor(imageUUID)] });
      sockets.last().serverClose(1006);
    }, 3);
    const served = new Map<object, number>();
    const serve = (): void => {
      const socket = sockets.last();
      if (socket.readyState === 0 && sockets.sockets.length > 1) {
        socket.open();
        socket.receive(authOk('s1'));
      }
      const tasks = socket.readyState === 1 ? socket.tasks() : [];
      const asked: OutboundTask[] = tasks.slice(served.get(socket) ?? 0);
      served.set(socket, tasks.length);
      for (const task of asked) {
        if (task.taskType === 'imageInference') {
          socket.receive({ errors: [{ code: 'conflictTaskUUID', message: 'Task already exists.', taskType: 'imageInference', taskUUID }] });
        } else if (task.taskType === 'getResponse') {
          socket.receive({ data: ['i1', 'i2'].map((imageUUID) => ({ ...itemFor(imageUUID), status: 'success' })) });
        } else if (task.taskType === 'ping') socket.receive({ data: [{ taskType: 'ping', pong: true }] });
      }
      if (!completed && failure === undefined && scheduler.now() < 120_000) scheduler.schedule(serve, 10);
    };
    scheduler.schedule(serve, 4);
    scheduler.schedule(() => void runware.disconnect(), 130_000);
  });
  return { results: results.sort(), failure };
}
