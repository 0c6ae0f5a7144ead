import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createRunwareClient } from 'runware-rx';
import { getTaskDetails, videoInference } from 'runware-rx/tasks';
import { createVirtualServer } from '../support/virtual-server.js';
import type { Recording } from './support.js';
import { inVirtualTime, typesOf } from './support.js';

/*
 * `maxInFlight` caps the tasks this client has at the server. A look at a task submitted before
 * (`getResponse`, `attach`, `getTaskDetails`) submits nothing, so it takes no slot: with every slot held by a video
 * that is still running, a look at that very video is answered at once, not after it finishes.
 */

const UUID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const video = { model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 };
const READY_AT = 20_000;

describe('with every maxInFlight slot taken', () => {
  it('a getResponse and an attach of the running task are answered at once', () => {
    let running: Recording | undefined;
    let look: Recording | undefined;
    let attached: Recording | undefined;
    let clock = (): number => 0;
    inVirtualTime(
      {
        client: { maxInFlight: 1, pollInterval: 1000 },
        handler: ({ taskType, taskUUID }, server) => {
          if (taskType === 'videoInference') server.reply({ data: [{ taskType, taskUUID }] }, 10);
          else if (clock() < READY_AT) server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] }, 10);
          else server.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v', videoURL: 'https://vid.test/v.mp4' }] }, 10);
        },
      },
      ({ runware, record, scheduler }) => {
        clock = () => scheduler.now();
        running = record(runware.videoInference$(video, { taskUUID: UUID }));
        scheduler.schedule(() => {
          look = record(runware.getResponse$(UUID, { taskType: 'videoInference' }));
          attached = record(runware.attach$(UUID, { taskType: 'videoInference' }));
        }, 2000);
      },
    );
    expect(running?.completed).toBe(true);
    expect(running?.endedAt).toBeGreaterThanOrEqual(READY_AT);
    expect(look?.completed).toBe(true);
    expect(typesOf(look!)).toEqual(['status']);
    expect(look?.endedAt).toBeLessThan(3000);
    // The attach's first poll is answered long before the video is ready, and it ends with it.
    expect(attached?.events[0]).toMatchObject({ type: 'status', status: 'processing' });
    expect(attached?.completed).toBe(true);
    expect(typesOf(attached!).filter((type) => type === 'status').length).toBeGreaterThan(1);
  });

  it('a getTaskDetails of that video is answered at once', () => {
    let endedAt: number | undefined;
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(() => {
      const server = createVirtualServer(scheduler, ({ taskType, taskUUID }, host) => {
        if (taskType === 'videoInference') host.reply({ data: [{ taskType, taskUUID }] }, 10);
        else if (taskType === 'getTaskDetails') host.reply({ data: [{ taskType, taskUUID, request: [{ taskType: 'videoInference' }], response: { data: [] } }] }, 10);
        else if (scheduler.now() < 20_000) host.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'processing' }] }, 10);
        else host.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v', videoURL: 'https://vid.test/v.mp4' }] }, 10);
      });
      const runware = createRunwareClient({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, maxInFlight: 1, pollInterval: 1000, tasks: [videoInference, getTaskDetails] });
      runware.videoInference$({ model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 }, { taskUUID: UUID }).subscribe({ error: () => undefined });
      scheduler.schedule(() => {
        runware.getTaskDetails$({ taskUUID: UUID }).subscribe({ complete: () => (endedAt = scheduler.now()), error: () => (endedAt = scheduler.now()) });
      }, 2000);
      scheduler.schedule(() => void runware.disconnect(), 60_000);
    });
    expect(endedAt).toBeDefined();
    expect(endedAt!).toBeLessThan(3000);
  });
});
