import type { IncomingMessage, ServerResponse } from 'node:http';
import { asyncScheduler } from 'rxjs';
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiKey } from '../../src/connection/api-key.js';
import type { RouteListener } from '../../src/connection/route.js';
import { openStreamLine } from '../../src/connection/stream-line.js';
import type { RunwareError } from '../../src/errors/runware-error.js';
import { loopbackHttp } from '../support/loopback-http.js';

/*
 * A task's reader that throws on what a streamed line hands it (a fault of runware-rx, or of a
 * task definition of the caller's own) fails that task with a typed, non-retryable error, as a
 * socket's line does (route-delivery.ts). It never escapes as an uncaught exception, which would
 * end a Node process, nor reads as a broken connection, which would send the task again.
 */

const serve = loopbackHttp();

afterEach(() => {
  vi.restoreAllMocks();
});

/** A listener whose `reply` throws on the first item, and which records how it was failed. */
function brittleListener(onFail: () => void = () => undefined): { listener: RouteListener; failed: Promise<RunwareError>; fails: RunwareError[] } {
  const fails: RunwareError[] = [];
  let told: (error: RunwareError) => void = () => undefined;
  const failed = new Promise<RunwareError>((resolve) => (told = resolve));
  const listener: RouteListener = {
    sent: () => undefined,
    written: () => undefined,
    reply: (data) => {
      if (data.length > 0) throw new TypeError('the reader cannot read this');
    },
    fail: (error) => {
      fails.push(error);
      onFail();
      told(error);
    },
  };
  return { listener, failed, fails };
}

/** Answers each POST with `answer(taskUUID)`, counting the POSTs. */
function answering(contentType: string, answer: (taskUUID: string) => string): { posts: () => number; handler: (incoming: IncomingMessage, response: ServerResponse) => void } {
  let posts = 0;
  return {
    posts: () => posts,
    handler: (incoming, response) => {
      let body = '';
      incoming.on('data', (chunk) => (body += String(chunk)));
      incoming.on('end', () => {
        posts += 1;
        const [task] = JSON.parse(body) as { taskUUID: string }[];
        response.writeHead(200, { 'content-type': contentType });
        response.end(answer(task!.taskUUID));
      });
    },
  };
}

const task = { taskType: 'textInference', taskUUID: '6c1f3f0e-5b6a-4c36-9d0b-0f4c2b7f1a11', deliveryMethod: 'stream' };

describe('a reader that throws on what a streamed line delivers', () => {
  it('fails the task with a protocol error when the answer is a stream of events, and is not read as a broken connection', async () => {
    const server = answering('text/event-stream', (taskUUID) => `data: ${JSON.stringify({ taskUUID, delta: { text: 'Hi' } })}\n\ndata: ${JSON.stringify({ taskUUID, finishReason: 'stop' })}\n\ndata: [DONE]\n\n`);
    const origin = await serve(server.handler);
    const { listener, failed, fails } = brittleListener();
    const line = openStreamLine({ url: `${origin}/v1`, apiKey: new ApiKey('k'), log: undefined, authTimeout: 1000 }, listener, () => undefined);
    line.send(task);
    const error = await failed;
    line.leave();
    expect(error.code).toBe('protocol');
    expect(error.retryable).toBe(false);
    expect(error.taskUUID).toBe(task.taskUUID);
    expect(String(error.cause)).toContain('the reader cannot read this');
    expect(fails).toHaveLength(1);
    expect(server.posts()).toBe(1);
  });

  it('fails the task with a protocol error when the answer is a JSON reply, instead of throwing out of a timer', async () => {
    const server = answering('application/json', (taskUUID) => JSON.stringify({ data: [{ taskType: 'getResponse', taskUUID, status: 'success', text: 'Hi' }] }));
    const origin = await serve(server.handler);
    const { listener, failed, fails } = brittleListener();
    const line = openStreamLine({ url: `${origin}/v1`, apiKey: new ApiKey('k'), log: undefined, authTimeout: 1000 }, listener, () => undefined);
    line.send({ taskType: 'getResponse', taskUUID: task.taskUUID });
    const error = await failed;
    line.leave();
    expect(error.code).toBe('protocol');
    expect(error.retryable).toBe(false);
    expect(fails).toHaveLength(1);
  });

  it('leaves no timer behind when the reader throws on the last piece, which comes with the whole answer', async () => {
    const armed: { delay: number | undefined; action: Subscription }[] = [];
    const schedule = asyncScheduler.schedule.bind(asyncScheduler);
    vi.spyOn(asyncScheduler, 'schedule').mockImplementation(((work: () => void, delay?: number) => {
      const action = schedule(work, delay);
      armed.push({ delay, action });
      return action;
    }) as typeof asyncScheduler.schedule);
    const server = answering('text/event-stream', (taskUUID) => `data: ${JSON.stringify({ taskUUID, delta: { text: 'Hi' }, finishReason: 'stop' })}\n\ndata: [DONE]\n\n`);
    const origin = await serve(server.handler);
    // The engine leaves a task's line as it fails the task, from inside `fail`.
    let leave = (): void => undefined;
    const { listener, failed } = brittleListener(() => leave());
    const line = openStreamLine({ url: `${origin}/v1`, apiKey: new ApiKey('k'), log: undefined, authTimeout: 1000 }, listener, () => undefined);
    leave = () => line.leave();
    line.send(task);
    const error = await failed;
    expect(error.code).toBe('protocol');
    // The hold on a whole answer (to let its body end) has nothing to hold for a task that failed.
    expect(armed.filter(({ action }) => !action.closed).map(({ delay }) => delay)).toEqual([]);
  });
});
