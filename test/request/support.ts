import { TestScheduler } from 'rxjs/testing';
import * as v from 'valibot';
import { expect } from 'vitest';
import type { RunwareError, RunwareOptions, TaskEvent } from 'runware-rx';
import { createRunwareClient } from 'runware-rx';
import { defineTask, imageInference, videoInference } from 'runware-rx/tasks';
import type { TaskHandler, VirtualServer } from '../support/virtual-server.js';
import { createVirtualServer } from '../support/virtual-server.js';

/**
 * A streamed task for the engine's specification: the server pushes phase items, then the final
 * ones (`status: "ready"`), like a model upload; `numberResults` of them, told apart by `modelUUID`.
 */
export const streamed = defineTask({
  name: 'streamedTask',
  aliases: [],
  taskType: 'streamedTask',
  params: v.strictObject({ name: v.string(), numberResults: v.optional(v.number()), deliveryMethod: v.optional(v.picklist(['sync', 'async'])) }),
  delivery: 'stream',
  count: 'numberResults',
  result: {
    key: (item) => (typeof item['modelUUID'] === 'string' ? item['modelUUID'] : undefined),
    isResult: (item) => item.status === 'ready',
    isPartial: (item) => typeof item.status === 'string' && !['ready', 'error', 'failed'].includes(item.status),
  },
});

/**
 * A task whose result reader throws on an item carrying `bomb`, and whose result key throws on one
 * carrying `keyBomb`, as a buggy definition would.
 */
export const fragile = defineTask({
  name: 'fragileTask',
  aliases: [],
  taskType: 'fragileTask',
  params: v.strictObject({ name: v.string() }),
  delivery: 'push',
  result: {
    key: (item) => {
      if (item['keyBomb'] === true) throw new TypeError('the key cannot be read');
      return undefined;
    },
    isResult: (item) => {
      if (item['bomb'] === true) throw new TypeError('the reader cannot read this');
      return typeof item['text'] === 'string';
    },
  },
});

export const TASKS = [imageInference, videoInference, streamed, fragile] as const;

/** A request's events and how it ended, with the virtual time of the end. */
export interface Recording {
  readonly events: TaskEvent<unknown, unknown>[];
  error?: RunwareError;
  completed?: boolean;
  endedAt?: number;
}

/** The client, its scripted server and the scheduler of one virtual-time test. */
export interface Scene {
  readonly scheduler: TestScheduler;
  readonly server: VirtualServer;
  readonly runware: ReturnType<typeof createRunwareClient<typeof TASKS>>;
  /** Subscribes to a request stream and records it. */
  record(events$: { subscribe: (observer: object) => unknown }): Recording;
}

/** What a test of the engine in virtual time calls to set its scene. */
export interface SceneOptions {
  readonly client?: RunwareOptions;
  readonly handler?: TaskHandler;
  /** How long the scene runs before the client disconnects, in virtual ms. */
  readonly until?: number;
}

/**
 * Runs a test in virtual time: a client of the image, video and streamed tasks over a scripted
 * server; it disconnects at `until` (default 30 virtual minutes), so nothing runs on after it.
 *
 * @param options The client options, the server's handler, the end.
 * @param test The test body.
 */
export function inVirtualTime(options: SceneOptions, test: (scene: Scene) => void): void {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    const server = createVirtualServer(scheduler, options.handler);
    const runware = createRunwareClient({
      apiKey: 'test-key-0001',
      url: 'ws://sim.test/v1',
      WebSocket: server.WebSocket,
      retryDelay: 100,
      tasks: TASKS,
      ...options.client,
    });
    const record = (events$: { subscribe: (observer: object) => unknown }): Recording => {
      const recording: Recording = { events: [] };
      events$.subscribe({
        next: (event: TaskEvent<unknown, unknown>) => recording.events.push(event),
        error: (error: RunwareError) => {
          recording.error = error;
          recording.endedAt = scheduler.now();
        },
        complete: () => {
          recording.completed = true;
          recording.endedAt = scheduler.now();
        },
      });
      return recording;
    };
    test({ scheduler, server, runware, record });
    scheduler.schedule(() => void runware.disconnect(), options.until ?? 30 * 60_000);
  });
}

/** The types of a recording's events, in order. */
export const typesOf = (recording: Recording): string[] => recording.events.map((event) => event.type);

/** The result items of a recording, in order. */
export const resultsOf = (recording: Recording): unknown[] =>
  recording.events.flatMap((event) => (event.type === 'result' ? [event.item] : []));
