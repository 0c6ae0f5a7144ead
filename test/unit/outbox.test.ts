import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../../src/connection/outbox.js';
import type { Route, TaskReply } from '../../src/connection/task-router.js';

/** A route as the outbox sees it: replies to notify, pending and submission texts to set, closed to check. */
function route(taskUUID: string) {
  const replies = new Subject<TaskReply>();
  const received: TaskReply[] = [];
  replies.subscribe((reply) => received.push(reply));
  const value = { taskUUID, replies, listeners: new Set(), pending: undefined, submission: undefined, closed: false } as Route;
  return { route: value, received };
}

/** An outbox with a hand-driven scheduler and a writer whose answer the test controls. */
function setUp(maxFrameLength = 1000) {
  const scheduled: (() => void)[] = [];
  const frames: string[] = [];
  let accept = true;
  const write = vi.fn((frame: string): boolean => {
    if (!accept) return false;
    frames.push(frame);
    return true;
  });
  const outbox = createOutbox({ write, maxFrameLength, schedule: (work) => scheduled.push(work) });
  return {
    outbox,
    write,
    frames,
    scheduled,
    /** Runs what the outbox scheduled, as the event loop would after the current task. */
    tick: () => {
      for (const work of scheduled.splice(0)) work();
    },
    refuse: () => {
      accept = false;
    },
    accept: () => {
      accept = true;
    },
  };
}

const task = (n: number): string => `{"n":${n}}`; // 7 characters

describe('createOutbox', () => {
  it('writes every task pushed in the same turn as one frame, after the turn', () => {
    const { outbox, frames, scheduled, tick } = setUp();
    outbox.push(task(1));
    outbox.push(task(2));
    outbox.push(task(3));
    expect(frames).toEqual([]);
    expect(scheduled).toHaveLength(1);
    tick();
    expect(frames).toEqual(['[{"n":1},{"n":2},{"n":3}]']);
  });

  it('schedules a new frame for tasks pushed after a flush', () => {
    const { outbox, frames, scheduled, tick } = setUp();
    outbox.push(task(1));
    tick();
    outbox.push(task(2));
    expect(scheduled).toHaveLength(1);
    tick();
    expect(frames).toEqual(['[{"n":1}]', '[{"n":2}]']);
  });

  it('writes nothing when nothing is queued', () => {
    const { outbox, write } = setUp();
    outbox.flush();
    expect(write).not.toHaveBeenCalled();
  });

  it('splits a batch into frames no longer than maxFrameLength, keeping the order', () => {
    const { outbox, frames, tick } = setUp(20);
    for (let n = 1; n <= 5; n += 1) outbox.push(task(n));
    tick();
    expect(frames).toEqual(['[{"n":1},{"n":2}]', '[{"n":3},{"n":4}]', '[{"n":5}]']);
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(20);
  });

  it('sends a task longer than maxFrameLength alone in its own frame', () => {
    const { outbox, frames, tick } = setUp(20);
    const long = `{"prompt":"${'x'.repeat(40)}"}`;
    outbox.push(task(1));
    outbox.push(long);
    outbox.push(task(2));
    tick();
    expect(frames).toEqual(['[{"n":1}]', `[${long}]`, '[{"n":2}]']);
  });

  it('tells each route its task was sent and remembers the text as pending', () => {
    const { outbox, tick } = setUp();
    const a = route('a');
    const b = route('b');
    outbox.push(task(1), a.route);
    outbox.push(task(2), b.route);
    outbox.push(task(3));
    expect(a.received).toEqual([]);
    tick();
    expect(a.received).toEqual([{ type: 'sent' }]);
    expect(b.received).toEqual([{ type: 'sent' }]);
    expect(a.route.pending).toBe(task(1));
    expect(b.route.pending).toBe(task(2));
  });

  it('notifies the route after the write, never before', () => {
    const order: string[] = [];
    const a = route('a');
    a.route.replies.subscribe(() => order.push('sent'));
    const scheduled: (() => void)[] = [];
    const outbox = createOutbox({
      write: () => {
        order.push('write');
        return true;
      },
      maxFrameLength: 1000,
      schedule: (work) => scheduled.push(work),
    });
    outbox.push(task(1), a.route);
    scheduled.forEach((work) => work());
    expect(order).toEqual(['write', 'sent']);
  });

  it('notifies a route once per task text of it, and keeps the last text as pending', () => {
    const { outbox, tick } = setUp();
    const a = route('a');
    outbox.push(task(1), a.route);
    outbox.push(task(2), a.route);
    tick();
    expect(a.received).toEqual([{ type: 'sent' }, { type: 'sent' }]);
    expect(a.route.pending).toBe(task(2));
  });

  it('remembers the first written submission of a route, but not its polls', () => {
    const { outbox, tick } = setUp();
    const a = route('a');
    const poll = '{"taskType":"getResponse","taskUUID":"a"}';
    outbox.push(task(1), a.route, true);
    tick();
    expect(a.route.submission).toBe(task(1));
    outbox.push(poll, a.route);
    outbox.push(task(2), a.route, true);
    tick();
    expect(a.route.submission).toBe(task(1));
    expect(a.route.pending).toBe(task(2));
  });

  it('does not remember a submission the link refused', () => {
    const { outbox, tick, refuse } = setUp();
    const a = route('a');
    refuse();
    outbox.push(task(1), a.route, true);
    tick();
    expect(a.route.submission).toBeUndefined();
  });

  it('drops the tasks of routes closed before the frame is written', () => {
    const { outbox, frames, tick } = setUp();
    const a = route('a');
    const b = route('b');
    outbox.push(task(1), a.route);
    outbox.push(task(2), b.route);
    (a.route as { closed: boolean }).closed = true;
    tick();
    expect(frames).toEqual(['[{"n":2}]']);
    expect(a.received).toEqual([]);
    expect(a.route.pending).toBeUndefined();
  });

  it('writes no frame at all when every queued task was cancelled', () => {
    const { outbox, write, tick } = setUp();
    const a = route('a');
    outbox.push(task(1), a.route);
    (a.route as { closed: boolean }).closed = true;
    tick();
    expect(write).not.toHaveBeenCalled();
  });

  it('keeps the queue when the link cannot take the frame, and writes it at the next flush', () => {
    const { outbox, frames, tick, refuse, accept, write } = setUp();
    const a = route('a');
    refuse();
    outbox.push(task(1), a.route);
    outbox.push(task(2));
    tick();
    expect(write).toHaveBeenCalledTimes(1);
    expect(frames).toEqual([]);
    expect(a.received).toEqual([]);
    expect(a.route.pending).toBeUndefined();
    accept();
    outbox.flush();
    expect(frames).toEqual(['[{"n":1},{"n":2}]']);
    expect(a.received).toEqual([{ type: 'sent' }]);
  });

  it('keeps only the frames not written when the link refuses part of a split batch, ahead of later tasks', () => {
    const scheduled: (() => void)[] = [];
    const frames: string[] = [];
    let room = 1;
    const outbox = createOutbox({
      write: (frame) => {
        if (room === 0) return false;
        room -= 1;
        frames.push(frame);
        return true;
      },
      maxFrameLength: 20,
      schedule: (work) => scheduled.push(work),
    });
    for (let n = 1; n <= 4; n += 1) outbox.push(task(n));
    scheduled.splice(0).forEach((work) => work());
    expect(frames).toEqual(['[{"n":1},{"n":2}]']);
    outbox.push(task(5));
    room = Infinity;
    outbox.flush();
    expect(frames).toEqual(['[{"n":1},{"n":2}]', '[{"n":3},{"n":4}]', '[{"n":5}]']);
  });

  it('drops, at the next flush, kept tasks whose route closed meanwhile', () => {
    const { outbox, frames, tick, refuse, accept } = setUp();
    const a = route('a');
    refuse();
    outbox.push(task(1), a.route);
    outbox.push(task(2));
    tick();
    (a.route as { closed: boolean }).closed = true;
    accept();
    outbox.flush();
    expect(frames).toEqual(['[{"n":2}]']);
  });

  it('forgets everything queued on clear', () => {
    const { outbox, write, tick } = setUp();
    outbox.push(task(1));
    outbox.clear();
    tick();
    outbox.flush();
    expect(write).not.toHaveBeenCalled();
  });
});
