import { describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../../src/connection/create-outbox.js';
import type { Route } from '../../src/connection/route.js';

type Notice = { type: 'sent' };

/** What the outbox told about each route (its `sent` option), as the router would pass it on. */
const notices = new WeakMap<Route, (notice: Notice) => void>();
const sent = (written: Route): void => notices.get(written)?.({ type: 'sent' });

/** A route as the outbox sees it: pending and submission texts to set, closed to check. */
function route(taskUUID: string) {
  const received: Notice[] = [];
  const value: Route = { taskUUID, answeredAs: undefined, listeners: [], pending: undefined, submission: undefined, closed: false, inbox: undefined, inboxErrors: [] };
  notices.set(value, (notice) => received.push(notice));
  return { route: value, received };
}

/** An outbox with a hand-driven scheduler and a writer whose answer the test controls. */
function setUp(maxFrameLength = 1000, flushAt = Infinity) {
  const scheduled: (() => void)[] = [];
  const frames: string[] = [];
  let accept = true;
  const write = vi.fn((frame: string): boolean => {
    if (!accept) return false;
    frames.push(frame);
    return true;
  });
  const outbox = createOutbox({ write, maxFrameLength, flushAt, schedule: (work) => scheduled.push(work), sent });
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
    notices.set(a.route, () => order.push('sent'));
    const scheduled: (() => void)[] = [];
    const outbox = createOutbox({
      write: () => {
        order.push('write');
        return true;
      },
      maxFrameLength: 1000,
      flushAt: Infinity,
      schedule: (work) => scheduled.push(work),
      sent,
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

  it('drops a task cancelled by the route told of the frame before it, when one flush writes both frames', () => {
    // Frames of one task each (`{"n":1}` is 7 characters): the second starts a frame of its own.
    const { outbox, frames, tick } = setUp(10);
    const a = route('a');
    const b = route('b');
    // Told it was sent, the first request's subscriber cancels the second (its `submitted` event).
    notices.set(a.route, () => void ((b.route as { closed: boolean }).closed = true));
    outbox.push(task(1), a.route);
    outbox.push(task(2), b.route);
    tick();
    expect(frames).toEqual(['[{"n":1}]']);
    expect(b.received).toEqual([]);
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
      flushAt: Infinity,
      schedule: (work) => scheduled.push(work),
      sent,
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

describe('createOutbox eager flushing', () => {
  const submit = (outbox: ReturnType<typeof setUp>['outbox'], n: number): void => outbox.push(task(n), undefined, true);

  it('writes submissions at once when the queue reaches flushAt, so a long burst streams out while it is built', () => {
    const { outbox, frames, scheduled, tick } = setUp(1000, 20);
    submit(outbox, 1);
    submit(outbox, 2);
    expect(frames).toEqual([]);
    submit(outbox, 3);
    expect(frames).toEqual([`[${task(1)},${task(2)},${task(3)}]`]);
    submit(outbox, 4);
    tick();
    expect(frames).toHaveLength(2);
    expect(scheduled).toHaveLength(0);
  });

  it('never writes polls early: a round of polls stays one frame', () => {
    const { outbox, frames, tick } = setUp(1000, 20);
    for (let n = 1; n <= 10; n += 1) outbox.push(task(n));
    expect(frames).toEqual([]);
    tick();
    expect(frames).toHaveLength(1);
  });

  it('stops trying eagerly after a refused write until the connection flushes on open', () => {
    const { outbox, write, refuse, accept, frames } = setUp(1000, 10);
    refuse();
    for (let n = 1; n <= 50; n += 1) submit(outbox, n);
    expect(write).toHaveBeenCalledTimes(1);
    accept();
    outbox.flush();
    expect(frames).toHaveLength(1);
    expect(JSON.parse(frames[0] ?? '[]')).toHaveLength(50);
  });
});
