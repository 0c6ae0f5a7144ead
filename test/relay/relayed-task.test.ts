import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { TaskLine } from '../../src/connection/connection.js';
import type { RouteListener } from '../../src/connection/route.js';
import type { OutboundTask } from '../../src/protocol/frames.js';
import type { TaskHost } from '../../src/relay/task-host.js';
import { RelayedTask } from '../../src/relay/relayed-task.js';

/*
 * One relayed task as its upstream route sees it, in virtual time: what it writes upstream and
 * what it hands the page, after the connection re-sent its submission and the server answered
 * conflictTaskUUID (an echo, or someone else's task).
 */

const T = '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b';
const SUBMISSION: OutboundTask = { taskType: 'imageInference', taskUUID: T, model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };
const CONFLICT = { code: 'conflictTaskUUID', message: 'taken', taskUUID: T, taskType: 'imageInference' };

interface Scene {
  readonly task: RelayedTask;
  readonly written: OutboundTask[];
  readonly delivered: { data: readonly unknown[]; errors: readonly unknown[] }[];
  readonly ended: string[];
  readonly disowned: number[];
}

/** A task of a fresh claim whose submission went out twice (the connection re-sent it), not answered yet. */
function resentTask(): Scene {
  const written: OutboundTask[] = [];
  const delivered: Scene['delivered'] = [];
  const ended: string[] = [];
  const disowned: number[] = [];
  let listener: RouteListener | undefined;
  const line: TaskLine = { send: (task) => void written.push(task), awaitMore: () => undefined, leave: () => undefined };
  const host: TaskHost = {
    join: (_taskUUID, joined) => ((listener = joined), line),
    deliver: (_session, data, errors) => void delivered.push({ data, errors }),
    claimOutputs: () => undefined,
    disown: () => void disowned.push(1),
    release: () => undefined,
    settled: (_task, reason) => void ended.push(reason),
    idleTimeout: Infinity,
    firstAnswerTimeout: Infinity,
  };
  const task = new RelayedTask(host, { taskUUID: T, userId: 'alice', taskType: 'imageInference', expected: 1, freshClaim: 'claim-1' }, true);
  task.watch('session-1');
  task.submit(SUBMISSION);
  listener!.sent();
  listener!.sent();
  return { task, written, delivered, ended, disowned };
}

const inVirtualTime = (test: (scheduler: TestScheduler) => void): void => {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => test(scheduler));
};

describe('a relayed task whose re-sent submission is answered conflictTaskUUID', () => {
  it('shows the page nothing until the archive is asked, and is the user\'s only when the archive holds what was sent', () => {
    const scene = resentTask();
    scene.task.reply([], [CONFLICT]);
    expect(scene.written.at(-1)).toEqual({ taskType: 'getTaskDetails', taskUUID: T });
    // A result pushed meanwhile is not shown before the answer.
    scene.task.reply([{ taskType: 'imageInference', taskUUID: T, imageUUID: 'i-1' }], []);
    expect(scene.delivered).toEqual([]);
    scene.task.reply([{ taskType: 'getTaskDetails', taskUUID: T, request: [{ ...SUBMISSION, positivePrompt: 'a fishing boat' }] }], []);
    expect(scene.delivered).toEqual([{ data: [], errors: [expect.objectContaining({ code: 'taskNotFound', taskUUID: T })] }]);
    expect(scene.disowned).toHaveLength(1);
    expect(scene.ended).toEqual(['taskUUID already taken at the server']);
  });

  it('polls for the page until the task is done, not telling it of running items or of a poll turned away', () => {
    inVirtualTime((scheduler) => {
      const scene = resentTask();
      scene.task.reply([], [CONFLICT]);
      scene.task.reply([{ taskType: 'getTaskDetails', taskUUID: T, request: [SUBMISSION] }], []);
      const polls = () => scene.written.filter((task) => task.taskType === 'getResponse').length;
      expect(polls()).toBe(1);
      scene.task.reply([{ taskType: 'imageInference', taskUUID: T, status: 'processing' }], []);
      // Each own poll a second after the answer before it (checked half a second later).
      scheduler.schedule(() => {
        expect(polls()).toBe(2);
        scene.task.reply([], [{ code: 'rateLimitExceeded', message: 'slow down', taskUUID: T, taskType: 'getResponse' }]);
      }, 1500);
      scheduler.schedule(() => {
        expect(polls()).toBe(3);
        scene.task.reply([{ taskType: 'imageInference', taskUUID: T, status: 'success', imageUUID: 'i-1' }], []);
      }, 3000);
      scheduler.schedule(() => {
        expect(scene.delivered).toEqual([{ data: [expect.objectContaining({ imageUUID: 'i-1' })], errors: [] }]);
        expect(scene.ended).toEqual(['finished']);
        expect(polls()).toBe(3);
      }, 5000);
    });
  });
});

/** A confirmed task of `expected` results whose submission went out once. */
function runningTask(expected: number): Scene & { readonly listener: RouteListener } {
  const written: OutboundTask[] = [];
  const delivered: Scene['delivered'] = [];
  const ended: string[] = [];
  let listener: RouteListener | undefined;
  const line: TaskLine = { send: (task) => void written.push(task), awaitMore: () => undefined, leave: () => undefined };
  const host: TaskHost = {
    join: (_taskUUID, joined) => ((listener = joined), line),
    deliver: (_session, data, errors) => void delivered.push({ data, errors }),
    claimOutputs: () => undefined,
    disown: () => undefined,
    release: () => undefined,
    settled: (_task, reason) => void ended.push(reason),
    idleTimeout: Infinity,
    firstAnswerTimeout: Infinity,
  };
  const task = new RelayedTask(host, { taskUUID: T, userId: 'alice', taskType: 'imageInference', expected }, true);
  task.watch('session-1');
  task.submit({ ...SUBMISSION, numberResults: expected });
  listener!.sent();
  return { task, written, delivered, ended, disowned: [], listener: listener! };
}

const TIMED_OUT = { code: 'timeoutProvider', message: 'The provider did not answer in time.', taskType: 'imageInference', taskUUID: T };

describe('a relayed task whose failure is pushed again word for word', () => {
  it('counts it once, does not show it again, and asks a poll whether it was the same frame: it was, the task runs on', () => {
    const scene = runningTask(2);
    scene.task.reply([], [TIMED_OUT]);
    scene.task.reply([], [{ ...TIMED_OUT }]);
    expect(scene.delivered).toEqual([{ data: [], errors: [TIMED_OUT] }]);
    expect(scene.written.at(-1)).toEqual({ taskType: 'getResponse', taskUUID: T });
    // The poll answer: one failure, one generation running. Nothing new for the page, no more polls.
    scene.task.reply([{ taskType: 'imageInference', taskUUID: T, status: 'processing' }], [{ ...TIMED_OUT, status: 'error' }]);
    expect(scene.delivered).toHaveLength(1);
    expect(scene.ended).toEqual([]);
    const polls = scene.written.filter((task) => task.taskType === 'getResponse').length;
    scene.task.reply([{ taskType: 'imageInference', taskUUID: T, imageUUID: '0d6c9a70-5f1e-4b8a-9c3d-2e4f6a8b0c1d' }], []);
    expect(scene.ended).toEqual(['finished']);
    expect(scene.written.filter((task) => task.taskType === 'getResponse')).toHaveLength(polls);
  });

  it('ends the task when the poll answer lists two alike failures, and shows the page the second one', () => {
    const scene = runningTask(2);
    scene.task.reply([], [TIMED_OUT]);
    scene.task.reply([], [{ ...TIMED_OUT }]);
    const first = { ...TIMED_OUT, status: 'error' };
    const second = { ...TIMED_OUT, status: 'error' };
    scene.task.reply([], [first, second]);
    expect(scene.ended).toEqual(['finished']);
    expect(scene.delivered).toEqual([
      { data: [], errors: [TIMED_OUT] },
      { data: [], errors: [second] },
    ]);
  });
});

describe('a relayed task given an error that names no taskType', () => {
  const untyped = { code: 'invalidTaskUUID', message: 'Not now.', taskUUID: T };

  it('takes it for the answer of the page’s look-up that waits: named getTaskDetails for the page, and the task runs on', () => {
    const scene = runningTask(1);
    scene.task.reply([{ taskType: 'imageInference', taskUUID: T, status: 'processing' }], []);
    scene.task.lookUp({ taskType: 'getTaskDetails', taskUUID: T });
    scene.task.reply([], [untyped]);
    expect(scene.delivered.at(-1)).toEqual({ data: [], errors: [{ ...untyped, taskType: 'getTaskDetails' }] });
    expect(scene.ended).toEqual([]);
    scene.task.reply([{ taskType: 'imageInference', taskUUID: T, imageUUID: '0d6c9a70-5f1e-4b8a-9c3d-2e4f6a8b0c1d' }], []);
    expect(scene.ended).toEqual(['finished']);
  });

  it('takes it for the task’s own when no look-up waits: named with the task’s taskType, and the task is over', () => {
    const scene = runningTask(1);
    scene.task.reply([], [untyped]);
    expect(scene.delivered).toEqual([{ data: [], errors: [{ ...untyped, taskType: 'imageInference' }] }]);
    expect(scene.ended).toEqual(['failed']);
  });
});

describe('a followed task whose check was given up before anything was sent', () => {
  it('goes on for another session that follows it meanwhile: that session’s poll is sent', () => {
    const written: OutboundTask[] = [];
    const ended: string[] = [];
    const line: TaskLine = { send: (task) => void written.push(task), awaitMore: () => undefined, leave: () => undefined };
    const host: TaskHost = {
      join: () => line,
      deliver: () => undefined,
      claimOutputs: () => undefined,
      disown: () => undefined,
      release: () => undefined,
      settled: (_task, reason) => void ended.push(reason),
      idleTimeout: Infinity,
      firstAnswerTimeout: Infinity,
    };
    // Polled from two sockets at once, of a task this relay no longer followed: the check of the
    // first created it, the second found it; the first socket closed before its poll went out.
    const task = new RelayedTask(host, { taskUUID: T, userId: 'alice', taskType: 'imageInference', expected: 1 }, false);
    task.watch('session-a');
    task.watch('session-b');
    task.drop('session-a');
    expect(ended).toEqual([]);
    task.poll();
    expect(written).toEqual([{ taskType: 'getResponse', taskUUID: T }]);
    // Given up by the only session that followed it, a task ends.
    const alone = new RelayedTask(host, { taskUUID: T, userId: 'alice', taskType: 'imageInference', expected: 1 }, false);
    alone.watch('session-a');
    alone.drop('session-a');
    expect(ended).toEqual(['dropped before sending']);
  });
});
