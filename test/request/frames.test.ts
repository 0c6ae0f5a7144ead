import { TestScheduler } from 'rxjs/testing';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { LogRecord, RunwareError } from 'runware-rx';
import { createRunwareClient } from 'runware-rx';
import { defineTask, imageInference, outputUUID } from 'runware-rx/tasks';
import { createVirtualServer } from '../support/virtual-server.js';
import type { Recording } from './support.js';
import { inVirtualTime, resultsOf } from './support.js';

/* One bad item fails at most the task it names; the rest of its frame is delivered. */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };

describe('a frame with an unreadable item among healthy ones', () => {
  it('fails only the task the item names, with the raw item, and delivers the others', () => {
    const recordings: Recording[] = [];
    const logged: LogRecord[] = [];
    inVirtualTime(
      {
        client: { logger: (record) => logged.push(record) },
        handler: (_task, server) => {
          const [a, b, c] = server.tasks('imageInference').map((task) => task.taskUUID);
          if (c === undefined) return;
          server.reply(
            {
              data: [
                { taskType: 'imageInference', taskUUID: a, imageUUID: 'image-a' },
                { taskType: 42, taskUUID: b, imageUUID: 'image-b' },
                { taskType: 'imageInference', taskUUID: c, imageUUID: 'image-c' },
                'not an item',
              ],
            },
            10,
          );
        },
      },
      ({ runware, record }) => {
        for (const prompt of ['a', 'b', 'c']) recordings.push(record(runware.imageInference$({ ...image, positivePrompt: `prompt ${prompt}` })));
      },
    );
    const [a, b, c] = recordings;
    expect(resultsOf(a!)).toEqual([expect.objectContaining({ imageUUID: 'image-a' })]);
    expect(resultsOf(c!)).toEqual([expect.objectContaining({ imageUUID: 'image-c' })]);
    expect(b?.error).toMatchObject({ name: 'ProtocolError', code: 'protocol', retryable: false, raw: { taskType: 42, imageUUID: 'image-b' } });
    expect(b?.error?.taskUUID).toBeDefined();
    // The item that names no task is logged, not dropped silently.
    expect(logged.filter((record) => record.event === 'item.invalid')).toHaveLength(1);
  });

  it('fails the task of a reply its result reader cannot read, and logs it, while the others go on', () => {
    let broken: Recording | undefined;
    let healthy: Recording | undefined;
    const logged: LogRecord[] = [];
    inVirtualTime(
      {
        client: { logger: (record) => logged.push(record) },
        handler: (_task, server) => {
          const [image] = server.tasks('imageInference');
          const [fragile] = server.tasks('fragileTask');
          if (image === undefined || fragile === undefined) return;
          server.reply(
            {
              data: [
                { taskType: 'fragileTask', taskUUID: fragile.taskUUID, bomb: true },
                { taskType: 'imageInference', taskUUID: image.taskUUID, imageUUID: 'image-1' },
              ],
            },
            10,
          );
        },
      },
      ({ runware, record }) => {
        healthy = record(runware.imageInference$(image));
        broken = record(runware.fragileTask$({ name: 'x' }));
      },
    );
    expect(broken?.error).toMatchObject({ name: 'ProtocolError', code: 'protocol', cause: expect.any(TypeError) });
    expect(resultsOf(healthy!)).toHaveLength(1);
    const line = logged.find((record) => record.event === 'task.readFailed');
    expect(line?.detail).toContain('the reader cannot read this');
  });
});

describe('a result whose key the task definition cannot read', () => {
  it('fails its request with a typed protocol error, logged like an unreadable reply, not with what the key threw', () => {
    let recording: Recording | undefined;
    const logged: LogRecord[] = [];
    inVirtualTime(
      {
        client: { logger: (record) => logged.push(record) },
        handler: ({ taskUUID }, server) => server.reply({ data: [{ taskType: 'fragileTask', taskUUID, text: 'done', keyBomb: true }] }, 10),
      },
      ({ runware, record }) => {
        recording = record(runware.fragileTask$({ name: 'x' }));
      },
    );
    expect(recording?.error).toMatchObject({ name: 'ProtocolError', code: 'protocol', cause: expect.any(TypeError) });
    expect(logged.find((record) => record.event === 'task.readFailed')?.detail).toContain('the key cannot be read');
  });
});

describe('a task that cannot be serialised when it is written', () => {
  it('fails its one request with a typed error, from inside the rate gate, instead of throwing into the timer', () => {
    // A definition whose defaults JSON cannot carry (a cycle): only the write itself can find out.
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    const broken = defineTask({
      name: 'brokenTask',
      aliases: [],
      taskType: 'brokenTask',
      params: v.strictObject({}),
      delivery: 'push',
      defaults: { loop },
      result: outputUUID<{ taskUUID: string }>('imageUUID'),
    });
    let first: Recording | undefined;
    let second: Recording | undefined;
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(() => {
      const server = createVirtualServer(scheduler, ({ taskUUID }, host) => host.reply({ errors: [{ code: 'rateLimitExceeded', message: 'slow down', taskUUID }] }, 1));
      const runware = createRunwareClient({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, retryDelay: 500, tasks: [imageInference, broken] });
      const record = (events$: { subscribe: (observer: object) => unknown }): Recording => {
        const recording: Recording = { events: [] };
        events$.subscribe({ next: (event: never) => recording.events.push(event), error: (error: RunwareError) => (recording.error = error) });
        return recording;
      };
      first = record(runware.imageInference$(image));
      // Asked for while the gate is closed: written from the gate's timer.
      scheduler.schedule(() => (second = record(runware.brokenTask$({}))), 10);
      scheduler.schedule(() => void runware.disconnect(), 60_000);
    });
    expect(second?.error).toMatchObject({ code: 'validation', retryable: false, sent: false });
    expect(second?.error?.message).toContain('cannot be sent as JSON');
    expect(first?.error?.code).toBe('rateLimit');
  });
});
