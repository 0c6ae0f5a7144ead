import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareClient, RunwareOptions } from 'runware-rx';
import type { ImageInferenceResult } from 'runware-rx/tasks';
import { createRunware } from 'runware-rx';
import { authOk, createFakeSockets } from '../support/fake-socket.js';

/*
 * A half-open socket: the peer stops answering without closing (no FIN), so nothing but the
 * heartbeat can notice. These run the real client over a fake socket in virtual time, so the
 * deadlines are checked exactly, not with a wall clock.
 */

/** How long the tests watch for a new socket, in virtual ms. */
const WATCH_LIMIT = 120_000;

const image = { model: 'runware:101@1', positivePrompt: 'a harbour at night', width: 512, height: 512 };

function scenario(options: RunwareOptions) {
  const sockets = createFakeSockets();
  const runware: RunwareClient = createRunware({ apiKey: 'k', url: 'ws://sim.test/v1', WebSocket: sockets.WebSocket, ...options });
  return { sockets, runware };
}

function run(test: (scheduler: TestScheduler) => RunwareClient): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    const runware = test(scheduler);
    scheduler.schedule(() => void runware.disconnect(), 10 * 60_000);
  });
}

describe('half-open socket', () => {
  it('is replaced within 40 s with the default settings', () => {
    let redialledAt: number | undefined;
    run((scheduler) => {
      const { sockets, runware } = scenario({});
      void runware.connect();
      scheduler.schedule(() => sockets.last().open(), 10);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 20);
      // From here on the server never says a word, and never closes the socket.
      const watch = (): void => {
        if (redialledAt === undefined && sockets.sockets.length > 1) redialledAt = scheduler.now();
        // Bounded, so a regression fails the test instead of spinning virtual time forever.
        if (redialledAt === undefined && scheduler.now() < WATCH_LIMIT) scheduler.schedule(watch, 100);
      };
      scheduler.schedule(watch, 20);
      return runware;
    });
    expect(redialledAt).toBeDefined();
    expect(redialledAt! - 20).toBeLessThanOrEqual(40_000);
  });

  it('is replaced within a second with test settings, and the task in flight completes once', () => {
    const results: ImageInferenceResult[] = [];
    let completed = false;
    let redialledAt: number | undefined;
    run((scheduler) => {
      const { sockets, runware } = scenario({ heartbeatInterval: 200, heartbeatTimeout: 300, retryDelay: 100 });
      runware.image$(image).subscribe({
        next: (event) => {
          if (event.type === 'result') results.push(event.item);
        },
        complete: () => (completed = true),
      });
      scheduler.schedule(() => sockets.last().open(), 10);
      scheduler.schedule(() => sockets.last().receive(authOk('s1')), 20);
      const watch = (): void => {
        if (sockets.sockets.length > 1) {
          redialledAt = scheduler.now();
          const second = sockets.last();
          second.open();
          second.receive(authOk('s1'));
          scheduler.schedule(() => {
            // The unanswered task was re-sent on the new socket with the same taskUUID.
            const [task] = second.tasks().filter((sent) => sent.taskType === 'imageInference');
            const first = sockets.sockets[0]?.tasks().find((sent) => sent.taskType === 'imageInference');
            expect(task?.taskUUID).toBe(first?.taskUUID);
            const item = { taskType: 'imageInference', taskUUID: task?.taskUUID, imageUUID: 'i1', imageURL: 'http://x/i1.jpg' };
            second.receive({ data: [item] });
            second.receive({ data: [item] }); // a duplicated replay changes nothing
          }, 1);
          return;
        }
        if (scheduler.now() < WATCH_LIMIT) scheduler.schedule(watch, 10);
      };
      scheduler.schedule(watch, 20);
      return runware;
    });
    expect(redialledAt! - 20).toBeLessThanOrEqual(1000);
    expect(results.map((item) => item.imageUUID)).toEqual(['i1']);
    expect(completed).toBe(true);
  });
});
