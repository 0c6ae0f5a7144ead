import { describe, expect, it, vi } from 'vitest';
import { createTaskRouter } from '../../src/connection/task-router.js';
import type { RouteListener } from '../../src/connection/route.js';
import type { TaskRouter } from '../../src/connection/task-router.js';
import { RunwareError } from '../../src/errors/runware-error.js';
import type { DataItem, ErrorItem } from '../../src/protocol/frames.js';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const item = (taskUUID: string, n: number): DataItem => ({ taskType: 'imageInference', taskUUID, imageUUID: `${taskUUID}-${n}` });
const failure = (taskUUID: string | undefined, code = 'invalidWidth'): ErrorItem => ({ code, message: code, ...(taskUUID === undefined ? {} : { taskUUID }) });

type Received = { type: 'sent' } | { type: 'reply'; data: readonly DataItem[]; errors: readonly ErrorItem[] };

/** A listener that records what it receives (replies without their arrival time). */
function recorder() {
  const received: Received[] = [];
  const fail = vi.fn<RouteListener['fail']>();
  const listener: RouteListener = {
    sent: () => received.push({ type: 'sent' }),
    reply: (data, errors) => received.push({ type: 'reply', data, errors }),
    fail,
  };
  return { listener, fail, received };
}

/** Joins the route of a taskUUID as a new listener and records what it receives. */
function listen(router: TaskRouter, taskUUID: string) {
  const { listener, fail, received } = recorder();
  const route = router.join(taskUUID, listener);
  return { route, listener, fail, received, leave: () => router.leave(route, listener) };
}


describe('createTaskRouter', () => {
  describe('dispatch', () => {
    it('delivers to each task, once per frame, the data and error items of its taskUUID', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const b = listen(router, B);
      const c = listen(router, C);
      const outcome = router.dispatch({ data: [item(A, 1), item(B, 1), item(A, 2)], errors: [failure(A)] }, 0);
      expect(a.received).toEqual([{ type: 'reply', data: [item(A, 1), item(A, 2)], errors: [failure(A)] }]);
      expect(b.received).toEqual([{ type: 'reply', data: [item(B, 1)], errors: [] }]);
      expect(c.received).toEqual([]);
      expect(outcome).toEqual({ unroutable: [], unknown: 0, unclaimed: [], thrown: [] });
    });

    it('counts the taskUUIDs nobody listens to and delivers nothing for them', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const outcome = router.dispatch({ data: [item(B, 1), item(A, 1)], errors: [failure(C)] }, 0);
      expect(outcome.unknown).toBe(2);
      expect(a.received).toEqual([{ type: 'reply', data: [item(A, 1)], errors: [] }]);
    });

    it('ignores data items without taskUUID, such as pongs', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      expect(router.dispatch({ data: [{ taskType: 'ping', pong: true }], errors: [] }, 0)).toEqual({ unroutable: [], unknown: 0, unclaimed: [], thrown: [] });
      expect(a.received).toEqual([]);
    });

    it('returns error items without taskUUID as unroutable and fails no task with them', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const b = listen(router, B);
      const outcome = router.dispatch({ data: [], errors: [failure(undefined, 'internalServerError'), failure(B)] }, 0);
      expect(outcome.unroutable).toEqual([failure(undefined, 'internalServerError')]);
      expect(a.received).toEqual([]);
      expect(a.fail).not.toHaveBeenCalled();
      expect(b.fail).not.toHaveBeenCalled();
      expect(b.received).toEqual([{ type: 'reply', data: [], errors: [failure(B)] }]);
    });

    it('fails a listener that throws with a typed error, reports it, and keeps delivering to the others', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const broken = vi.fn<RouteListener['fail']>();
      const bug = new Error('listener bug');
      router.join(A, {
        sent: () => undefined,
        reply: () => {
          throw bug;
        },
        fail: broken,
      });
      const b = listen(router, B);
      const outcome = router.dispatch({ data: [item(A, 1), item(B, 1)], errors: [] }, 0);
      expect(a.received).toHaveLength(1);
      expect(b.received).toEqual([{ type: 'reply', data: [item(B, 1)], errors: [] }]);
      expect(broken).toHaveBeenCalledOnce();
      expect(broken.mock.calls[0]?.[0]).toMatchObject({ name: 'ProtocolError', code: 'protocol', taskUUID: A, cause: bug });
      expect(a.fail).not.toHaveBeenCalled();
      expect(outcome.thrown).toEqual([{ taskUUID: A, error: bug }]);
    });

    it('fails only the task an unreadable item names, and delivers the rest of the frame', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const b = listen(router, B);
      const broken = { taskUUID: A, taskType: 42 };
      const outcome = router.dispatch(
        { data: [item(A, 1), item(B, 1)], errors: [], malformed: [{ taskUUID: A, reason: 'a data item needs a string taskType', raw: broken }] },
        0,
      );
      expect(a.received).toEqual([{ type: 'reply', data: [item(A, 1)], errors: [] }]);
      expect(a.fail).toHaveBeenCalledOnce();
      expect(a.fail.mock.calls[0]?.[0]).toMatchObject({ name: 'ProtocolError', code: 'protocol', taskUUID: A, raw: broken, retryable: false });
      expect(b.received).toEqual([{ type: 'reply', data: [item(B, 1)], errors: [] }]);
      expect(b.fail).not.toHaveBeenCalled();
      expect(outcome.unclaimed).toEqual([]);
    });

    it('reports unreadable items that name no task listened to, failing nothing', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const orphan = { reason: 'an error item must be an object', raw: 7 };
      const stranger = { taskUUID: C, reason: 'a data item needs a string taskType', raw: { taskUUID: C } };
      const outcome = router.dispatch({ data: [], errors: [], malformed: [orphan, stranger] }, 0);
      expect(outcome.unclaimed).toEqual([orphan, stranger]);
      expect(a.fail).not.toHaveBeenCalled();
    });

    it('passes the arrival time of the frame to every listener', () => {
      const router = createTaskRouter();
      const times: number[] = [];
      router.join(A, { sent: () => undefined, reply: (_data, _errors, at) => times.push(at), fail: () => undefined });
      router.join(B, { sent: () => undefined, reply: (_data, _errors, at) => times.push(at), fail: () => undefined });
      router.dispatch({ data: [item(A, 1), item(B, 1)], errors: [] }, 1234);
      expect(times).toEqual([1234, 1234]);
    });

    it('tells every listener of a route that its frame went out', () => {
      const router = createTaskRouter();
      const first = listen(router, A);
      const second = listen(router, A);
      router.sent(first.route);
      expect(first.received).toEqual([{ type: 'sent' }]);
      expect(second.received).toEqual([{ type: 'sent' }]);
    });

    it('clears the pending text of a task that receives a reply, and only of that task', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      const b = listen(router, B);
      a.route.pending = '{"taskType":"getResponse"}';
      b.route.pending = '{"taskType":"getResponse"}';
      router.dispatch({ data: [item(A, 1)], errors: [] }, 0);
      expect(a.route.pending).toBeUndefined();
      expect(b.route.pending).toBe('{"taskType":"getResponse"}');
    });
  });

  describe('join and leave', () => {
    it('creates an open route for the first listener of a taskUUID', () => {
      const router = createTaskRouter();
      const { route } = listen(router, A);
      expect(route).toMatchObject({ taskUUID: A, pending: undefined, submission: undefined, closed: false });
      expect(router.size()).toBe(1);
    });

    it('lets further listeners of a taskUUID share its route and its replies', () => {
      const router = createTaskRouter();
      const first = listen(router, A);
      const second = listen(router, A);
      expect(second.route).toBe(first.route);
      expect(router.size()).toBe(1);
      router.dispatch({ data: [item(A, 1)], errors: [] }, 0);
      expect(first.received).toEqual([{ type: 'reply', data: [item(A, 1)], errors: [] }]);
      expect(second.received).toEqual(first.received);
    });

    it('keeps the route while any listener remains', () => {
      const router = createTaskRouter();
      const first = listen(router, A);
      const second = listen(router, A);
      first.leave();
      expect(first.route.closed).toBe(false);
      expect(router.size()).toBe(1);
      router.dispatch({ data: [item(A, 1)], errors: [] }, 0);
      expect(second.received).toHaveLength(1);
    });

    it('closes the route when its last listener leaves, and counts later items for it as unknown', () => {
      const router = createTaskRouter();
      const a = listen(router, A);
      a.leave();
      expect(a.route.closed).toBe(true);
      expect(router.size()).toBe(0);
      expect(router.dispatch({ data: [item(A, 1)], errors: [] }, 0).unknown).toBe(1);
    });

    it('gives a taskUUID a fresh route after its old one closed, which a late leave of the old one does not remove', () => {
      const router = createTaskRouter();
      const first = listen(router, A);
      first.leave();
      const second = listen(router, A);
      expect(second.route).not.toBe(first.route);
      expect(second.route.closed).toBe(false);
      router.leave(first.route, first.listener);
      expect(router.size()).toBe(1);
      router.dispatch({ data: [item(A, 1)], errors: [] }, 0);
      expect(second.received).toHaveLength(1);
    });
  });

  describe('a look-up under a task\'s taskUUID', () => {
    const details = (taskUUID: string): DataItem => ({ taskType: 'getTaskDetails', taskUUID, request: [] });
    const lookUp = (router: TaskRouter, taskUUID: string) => {
      const { listener, fail, received } = recorder();
      const route = router.join(taskUUID, listener, 'getTaskDetails');
      return { route, listener, fail, received, leave: () => router.leave(route, listener) };
    };

    it('has a route of its own: the items of its taskType go to it, the task\'s own to the task', () => {
      const router = createTaskRouter();
      const task = listen(router, A);
      const look = lookUp(router, A);
      expect(look.route).not.toBe(task.route);
      const lookFailure = { ...failure(A, 'taskNotFound'), taskType: 'getTaskDetails' };
      router.dispatch({ data: [item(A, 1), details(A)], errors: [lookFailure, failure(A)] }, 0);
      expect(task.received).toEqual([{ type: 'reply', data: [item(A, 1)], errors: [failure(A)] }]);
      expect(look.received).toEqual([{ type: 'reply', data: [details(A)], errors: [lookFailure] }]);
    });

    it('leaves the task\'s pending text alone when it is answered', () => {
      const router = createTaskRouter();
      const task = listen(router, A);
      const look = lookUp(router, A);
      task.route.pending = 'the submission';
      look.route.pending = 'the look-up';
      router.dispatch({ data: [details(A)], errors: [] }, 0);
      expect(task.route.pending).toBe('the submission');
      expect(look.route.pending).toBeUndefined();
    });

    // Errors often name no taskType (protocol §6.1). Only a task's answers report a failed
    // generation (`status: "error"`, §5.3) or a conflict on its taskUUID (a look-up is sent under
    // its target's on purpose), and a frame is one answer: its errors go with its items.
    it('gives the task an error naming no taskType that only a task\'s answer carries, while the look-up waits', () => {
      const router = createTaskRouter();
      const task = listen(router, A);
      const look = lookUp(router, A);
      task.route.pending = look.route.pending = 'written';
      const generation = { ...failure(A, 'timeoutProvider'), status: 'error' };
      router.dispatch({ data: [], errors: [generation] }, 0);
      task.route.pending = 'written';
      router.dispatch({ data: [], errors: [failure(A, 'conflictTaskUUID')] }, 0);
      expect(task.received).toEqual([
        { type: 'reply', data: [], errors: [generation] },
        { type: 'reply', data: [], errors: [failure(A, 'conflictTaskUUID')] },
      ]);
      expect(look.received).toEqual([]);
      expect(look.route.pending).toBe('written');
    });

    // A frame may carry several tasks' answers (protocol §1.4): the task's poll answer and the
    // look-up's refusal in one frame are two answers, and the refusal is still the look-up's.
    it('gives the waiting look-up an error naming no taskType even beside the task\'s items in its frame', () => {
      const router = createTaskRouter();
      const task = listen(router, A);
      const look = lookUp(router, A);
      task.route.pending = look.route.pending = 'written';
      const running: DataItem = { taskType: 'imageInference', taskUUID: A, status: 'processing' };
      router.dispatch({ data: [running], errors: [failure(A, 'taskNotFound')] }, 0);
      expect(task.received).toEqual([{ type: 'reply', data: [running], errors: [] }]);
      expect(look.received).toEqual([{ type: 'reply', data: [], errors: [failure(A, 'taskNotFound')] }]);
    });

    it('is closed by its last listener leaving, after which items of its taskType are the task\'s again', () => {
      const router = createTaskRouter();
      const task = listen(router, A);
      const look = lookUp(router, A);
      expect(router.size()).toBe(2);
      look.leave();
      expect(look.route.closed).toBe(true);
      expect(router.size()).toBe(1);
      router.dispatch({ data: [details(A)], errors: [] }, 0);
      expect(task.received).toEqual([{ type: 'reply', data: [details(A)], errors: [] }]);
      expect(look.received).toEqual([]);
    });
  });

  describe('failAll', () => {
    it('fails every listener of every route with the given error', () => {
      const router = createTaskRouter();
      const a1 = listen(router, A);
      const a2 = listen(router, A);
      const b = listen(router, B);
      const error = new RunwareError({ code: 'aborted', message: 'closed' });
      router.failAll(error);
      for (const listener of [a1, a2, b]) expect(listener.fail).toHaveBeenCalledExactlyOnceWith(error);
    });

    it('reaches every listener even when failing one makes it leave', () => {
      const router = createTaskRouter();
      const failed: string[] = [];
      for (const [taskUUID, name] of [
        [A, 'a1'],
        [A, 'a2'],
        [B, 'b'],
        [C, 'c'],
      ] as const) {
        const listener: RouteListener = {
          sent: () => undefined,
          reply: () => undefined,
          fail: () => {
            failed.push(name);
            router.leave(route, listener);
          },
        };
        const route = router.join(taskUUID, listener);
      }
      router.failAll(new RunwareError({ code: 'connection', message: 'gave up' }));
      expect(failed).toEqual(['a1', 'a2', 'b', 'c']);
      expect(router.size()).toBe(0);
    });
  });

  it('lets a route that closes go of its task\'s text, which whoever still holds the route would keep', () => {
    const router = createTaskRouter();
    const a = listen(router, A);
    a.route.submission = a.route.pending = '{"taskType":"imageInference","seedImage":"…megabytes…"}';
    a.leave();
    expect(a.route).toMatchObject({ closed: true, submission: undefined, pending: undefined });
  });

  it('lists the open routes and their number', () => {
    const router = createTaskRouter();
    const a = listen(router, A);
    const b = listen(router, B);
    listen(router, B);
    expect(router.size()).toBe(2);
    expect([...router.routes()]).toEqual([a.route, b.route]);
  });
});
