import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareError, TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { VirtualServer } from '../support/virtual-server.js';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * A poll that goes unanswered is sent again (after its deadline, up to three times, and after a
 * reconnect), and the server may then answer every copy: a stalled server catching up, or a
 * resumed session replaying the answer beside the answer to the re-send. Each answer is the
 * task's whole state (protocol §1.4, §5.3), so the copies say nothing new: a result without an
 * output UUID (a text) must not be counted again from them, nor end the task before its last one.
 */

interface Outcome {
  readonly texts: unknown[];
  completed?: boolean;
  error?: RunwareError;
  endedAt?: number;
}

interface Scene {
  readonly scheduler: TestScheduler;
  readonly server: VirtualServer;
}

const first = (taskUUID: string) => ({ taskType: 'promptEnhance', taskUUID, status: 'success', text: 'a lighthouse at dusk' });
const second = (taskUUID: string) => ({ taskType: 'promptEnhance', taskUUID, status: 'success', text: 'a lighthouse in fog' });

/**
 * A prompt of two versions, polled: the polls received before `answerAt` are answered all at
 * once then, on the socket open then, each with the first version done; later polls find both.
 */
function run(answerAt: number, script: (scene: Scene) => void = () => undefined): Outcome {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const outcome: Outcome = { texts: [] };
  scheduler.run(() => {
    const held: string[] = [];
    const server = createVirtualServer(scheduler, (task, host) => {
      const { taskType, taskUUID } = task;
      if (taskType === 'promptEnhance') host.reply({ data: [{ taskType, taskUUID }] }, 1);
      if (taskType !== 'getResponse') return;
      if (scheduler.now() < answerAt) held.push(taskUUID);
      else host.reply({ data: [first(taskUUID), second(taskUUID)] }, 1);
    });
    scheduler.schedule(() => {
      const socket = server.sockets.at(-1)!;
      for (const taskUUID of held) socket.receive({ data: [first(taskUUID), { taskType: 'promptEnhance', taskUUID, status: 'processing' }] });
    }, answerAt);
    const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 1000, pollTimeout: 500, retryDelay: 100 });
    runware.promptEnhance$({ prompt: 'lighthouse', promptVersions: 2, deliveryMethod: 'async' }).subscribe({
      next: (event: TaskEvent<unknown, unknown>) => {
        if (event.type === 'result') outcome.texts.push((event.item as { text: string }).text);
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
    script({ scheduler, server });
    scheduler.schedule(() => void runware.disconnect(), 60_000);
  });
  return outcome;
}

describe('answers to a poll and to its re-sends, all arriving', () => {
  it('delivers each text once and ends with the last version, not with a copy of the first', () => {
    // Polled at ~1 000, re-sent at ~1 500, ~2 000 and ~2 500: four copies, answered together at 2 900.
    const outcome = run(2_900);
    expect(outcome.error).toBeUndefined();
    expect(outcome.texts).toEqual(['a lighthouse at dusk', 'a lighthouse in fog']);
    expect(outcome.completed).toBe(true);
    // The later poll that found the second version done ended it, after the copies were read.
    expect(outcome.endedAt).toBeGreaterThan(2_900);
  });

  it('delivers each text once when the copies are a resumed session’s replay and the answers to the re-sends', () => {
    // Polled at ~1 000 and re-sent at ~1 500; the socket is lost at 1 600, and the poll is
    // re-sent again on the new one: three copies, answered on it at 1 900.
    const outcome = run(1_900, ({ scheduler, server }) => scheduler.schedule(() => server.sockets[0]!.serverClose(1006), 1_600));
    expect(outcome.error).toBeUndefined();
    expect(outcome.texts).toEqual(['a lighthouse at dusk', 'a lighthouse in fog']);
    expect(outcome.completed).toBe(true);
  });
});
