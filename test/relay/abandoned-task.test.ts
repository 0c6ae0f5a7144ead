import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { TaskLine } from '../../src/connection/connection.js';
import type { RouteListener } from '../../src/connection/route.js';
import type { OutboundTask } from '../../src/protocol/frames.js';
import type { TaskHost } from '../../src/relay/task-host.js';
import { RelayedTask } from '../../src/relay/relayed-task.js';

/*
 * A page stops waiting for a video (its user navigates away, an AbortSignal, an unsubscribe):
 * it stops polling, and the server goes on and finishes the video. The relay learns of a polled
 * task's end only from a poll, so, once the page has been silent about it for a minute, it polls
 * the task itself, every 10 s, until it is over: the user's in-flight slot comes back when the
 * server is done, not after taskIdleTimeout (ten minutes by default). In virtual time.
 */

const T = '2b8e4c1a-7d3f-4a6b-9c5e-1f0a2b3c4d5e';
const VIDEO: OutboundTask = { taskType: 'videoInference', taskUUID: T, deliveryMethod: 'async', model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 };
const RUNNING = { taskType: 'videoInference', taskUUID: T, status: 'processing' };
const DONE = { taskType: 'videoInference', taskUUID: T, status: 'success', videoUUID: 'v-1', videoURL: 'https://example.test/v-1.mp4' };

interface Scene {
  readonly task: RelayedTask;
  readonly listener: RouteListener;
  readonly written: OutboundTask[];
  readonly delivered: { data: readonly unknown[]; errors: readonly unknown[] }[];
  readonly ended: string[];
  /** The polls written upstream so far. */
  polls(): number;
}

/** A counted video of this relay, submitted by its page and acknowledged by the server. */
function acknowledgedVideo(idleTimeout: number, onPoll?: () => void): Scene {
  const written: OutboundTask[] = [];
  const delivered: Scene['delivered'] = [];
  const ended: string[] = [];
  let listener: RouteListener | undefined;
  const line: TaskLine = {
    send: (task) => {
      written.push(task);
      if (task.taskType === 'getResponse') onPoll?.();
    },
    awaitMore: () => undefined,
    leave: () => undefined,
  };
  const host: TaskHost = {
    join: (_taskUUID, joined) => ((listener = joined), line),
    deliver: (_session, data, errors) => void delivered.push({ data, errors }),
    claimOutputs: () => undefined,
    disown: () => undefined,
    release: () => undefined,
    settled: (_task, reason) => void ended.push(reason),
    idleTimeout,
    firstAnswerTimeout: Infinity,
  };
  const task = new RelayedTask(host, { taskUUID: T, userId: 'alice', taskType: 'videoInference', expected: 1 }, true);
  task.watch('session-1');
  task.submit(VIDEO);
  listener!.sent();
  listener!.reply([{ taskType: 'videoInference', taskUUID: T }], [], 0);
  const polls = () => written.filter((item) => item.taskType === 'getResponse').length;
  return { task, listener: listener!, written, delivered, ended, polls };
}

const inVirtualTime = (test: (scheduler: TestScheduler) => void): void => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => test(scheduler));
};

describe('a polled task its page stopped asking about', () => {
  it('is polled by the relay once its page has been silent for a minute, every 10 s, and ends (freeing its slot) when the server is done', () => {
    inVirtualTime((scheduler) => {
      const scene = acknowledgedVideo(600_000);
      // The page polls once, a second in, and then never again.
      scheduler.schedule(() => {
        scene.task.poll();
        scene.listener.reply([RUNNING], [], 0);
      }, 1000);
      scheduler.schedule(() => expect(scene.polls()).toBe(1), 60_500);
      scheduler.schedule(() => {
        expect(scene.polls()).toBe(2);
        scene.listener.reply([RUNNING], [], 0);
      }, 61_500);
      scheduler.schedule(() => expect(scene.polls()).toBe(2), 71_000);
      scheduler.schedule(() => {
        expect(scene.polls()).toBe(3);
        scene.listener.reply([DONE], [], 0);
      }, 72_000);
      scheduler.schedule(() => {
        expect(scene.ended).toEqual(['finished']);
        // The page was shown its poll's answer and the finished video, never the relay's running items.
        expect(scene.delivered).toEqual([
          { data: [{ taskType: 'videoInference', taskUUID: T }], errors: [] },
          { data: [RUNNING], errors: [] },
          { data: [DONE], errors: [] },
        ]);
        expect(scene.polls()).toBe(3);
      }, 200_000);
    });
  });

  it('is polled by the relay when the page went silent before its first poll', () => {
    inVirtualTime((scheduler) => {
      const scene = acknowledgedVideo(600_000);
      scheduler.schedule(() => {
        expect(scene.polls()).toBe(1);
        scene.listener.reply([DONE], [], 0);
        expect(scene.ended).toEqual(['finished']);
      }, 60_500);
    });
  });

  it('leaves the polling to the page again as soon as it asks, and shows it the whole answer', () => {
    inVirtualTime((scheduler) => {
      const scene = acknowledgedVideo(600_000);
      scheduler.schedule(() => {
        expect(scene.polls()).toBe(1);
        scene.listener.reply([RUNNING], [], 0);
      }, 60_500);
      // The page comes back (its socket was down a while) before the relay's next own poll.
      scheduler.schedule(() => {
        scene.task.poll();
        expect(scene.polls()).toBe(2);
        scene.listener.reply([RUNNING], [], 0);
        expect(scene.delivered.at(-1)).toEqual({ data: [RUNNING], errors: [] });
      }, 65_000);
      // No own poll 10 s after the relay's last one: the page polls.
      scheduler.schedule(() => expect(scene.polls()).toBe(2), 100_000);
    });
  });

  it('is polled only until taskIdleTimeout after the page last spoke, however long the server runs it', () => {
    inVirtualTime((scheduler) => {
      // Every own poll is answered "still running", half a second after it.
      const scene: Scene = acknowledgedVideo(120_000, () => scheduler.schedule(() => scene.listener.reply([RUNNING], [], 0), 500));
      scheduler.schedule(() => {
        expect(scene.polls()).toBe(6);
        expect(scene.ended).toEqual(['idle']);
        const polls = scene.polls();
        scheduler.schedule(() => expect(scene.polls()).toBe(polls), 60_000);
      }, 120_500);
    });
  });

  it('is not polled by the relay while its page polls a kind it has seen finish, at halvings of the time it expects (41, 81, 163 s)', () => {
    inVirtualTime((scheduler) => {
      const scene = acknowledgedVideo(600_000);
      for (const at of [41_000, 81_000, 163_000])
        scheduler.schedule(() => {
          scene.task.poll();
          scene.listener.reply([RUNNING], [], 0);
        }, at);
      scheduler.schedule(() => expect(scene.polls()).toBe(3), 240_000);
    });
  });

  it('is not polled by the relay while its page keeps polling, however slowly (30 s apart)', () => {
    inVirtualTime((scheduler) => {
      const scene = acknowledgedVideo(600_000);
      for (let at = 30_000; at <= 240_000; at += 30_000)
        scheduler.schedule(() => {
          scene.task.poll();
          scene.listener.reply([RUNNING], [], 0);
        }, at);
      scheduler.schedule(() => expect(scene.polls()).toBe(8), 250_000);
    });
  });
});
