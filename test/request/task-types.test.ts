import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { RunwareClient, RunwareError, RunwareOptions, TaskEvent } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { TaskHandler, VirtualServer } from '../support/virtual-server.js';
import { createVirtualServer } from '../support/virtual-server.js';

/*
 * How the task types beyond images and video are delivered, as the engine reads them: streamed
 * phases, polled phases, one-item answers, texts without an output UUID, tasks sent under another
 * task's taskUUID, costs summed, a single look, a dry run. In virtual time, over a scripted server.
 */

interface Outcome {
  readonly events: TaskEvent<unknown, unknown>[];
  error?: RunwareError;
  completed?: boolean;
}

function scene(
  handler: TaskHandler,
  test: (runware: RunwareClient, server: VirtualServer, record: (events$: { subscribe: (observer: object) => unknown }) => Outcome) => void,
  options: RunwareOptions = {},
  until = 30 * 60_000,
): VirtualServer {
  let server: VirtualServer | undefined;
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    server = createVirtualServer(scheduler, handler);
    const runware = createRunware({ apiKey: 'test-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket, pollInterval: 100, ...options });
    const record = (events$: { subscribe: (observer: object) => unknown }): Outcome => {
      const outcome: Outcome = { events: [] };
      events$.subscribe({
        next: (event: TaskEvent<unknown, unknown>) => outcome.events.push(event),
        error: (error: RunwareError) => (outcome.error = error),
        complete: () => (outcome.completed = true),
      });
      return outcome;
    };
    test(runware, server, record);
    scheduler.schedule(() => void runware.disconnect(), until);
  });
  return server!;
}

const types = (outcome: Outcome) => outcome.events.map((event) => event.type);
const items = (outcome: Outcome) => outcome.events.flatMap((event) => (event.type === 'result' || event.type === 'partial' ? [event.item] : []));

describe('modelUpload, streamed', () => {
  it('reports each phase as a partial event and ends with the ready one, never at the first frame', () => {
    let outcome: Outcome | undefined;
    scene(
      ({ taskUUID }, server) => {
        const phases = ['validated', 'downloaded', 'optimized', 'stored', 'ready'];
        phases.forEach((status, index) => server.reply({ data: [{ taskType: 'modelUpload', taskUUID, status, message: `${status}.`, air: 'me:1@1' }] }, 10 + index * 60_000));
      },
      (runware, _server, record) => {
        outcome = record(
          runware.modelUpload$({ category: 'lora', architecture: 'flux1d', air: 'me:1@1', name: 'mine', version: '1', downloadURL: 'https://example.com/lora.safetensors' }),
        );
      },
    );
    expect(types(outcome!)).toEqual(['submitted', 'partial', 'partial', 'partial', 'partial', 'result']);
    expect(items(outcome!).map((item) => (item as { status: string }).status)).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
    expect(outcome?.completed).toBe(true);
  });

  it('waits for phases minutes apart beyond the client\'s default deadline for pushed tasks (5 min): a large model downloads for long', () => {
    let outcome: Outcome | undefined;
    const upload = { category: 'lora', architecture: 'flux1d', air: 'me:1@1', name: 'mine', version: '1', downloadURL: 'https://example.com/lora.safetensors' } as const;
    scene(
      ({ taskUUID }, server) => {
        const phases = ['validated', 'downloaded', 'optimized', 'stored', 'ready'];
        phases.forEach((status, index) => server.reply({ data: [{ taskType: 'modelUpload', taskUUID, status, air: 'me:1@1' }] }, 10 + index * 20 * 60_000));
      },
      (runware, _server, record) => {
        outcome = record(runware.modelUpload$(upload));
      },
      {},
      2 * 60 * 60_000,
    );
    expect(outcome?.error).toBeUndefined();
    expect(types(outcome!)).toEqual(['submitted', 'partial', 'partial', 'partial', 'partial', 'result']);
  });

  it('still ends at the client\'s own timeout when one is set', () => {
    let outcome: Outcome | undefined;
    scene(
      ({ taskUUID }, server) => {
        ['validated', 'downloaded'].forEach((status, index) => server.reply({ data: [{ taskType: 'modelUpload', taskUUID, status, air: 'me:1@1' }] }, 10 + index * 20 * 60_000));
      },
      (runware, _server, record) => {
        outcome = record(runware.modelUpload$({ category: 'lora', architecture: 'flux1d', air: 'me:1@1', name: 'mine', version: '1', downloadURL: 'https://example.com/lora.safetensors' }));
      },
      { timeout: 10 * 60_000 },
      2 * 60 * 60_000,
    );
    expect(outcome?.error?.code).toBe('timeout');
    expect(outcome?.error).toMatchObject({ phase: 'total' });
  });
});

describe('modelUpload, polled (deliveryMethod async)', () => {
  it('ends with the poll answer that says success, and reads processing as a status, not as a phase', () => {
    let outcome: Outcome | undefined;
    scene(
      ({ taskType, taskUUID }, server) => {
        const polls = server.tasks('getResponse').length;
        const answer = (item: object) => server.reply({ data: [{ taskType: 'modelUpload', taskUUID, ...item }] }, 10);
        if (taskType === 'modelUpload') answer({});
        else if (polls === 1) answer({ status: 'processing' });
        else if (polls === 2) answer({ status: 'downloaded' });
        else answer({ status: 'success', air: 'me:1@1' });
      },
      (runware, _server, record) => {
        outcome = record(
          runware.modelUpload$({ category: 'lora', architecture: 'flux1d', air: 'me:1@1', name: 'mine', version: '1', downloadURL: 'https://example.com/lora.safetensors', deliveryMethod: 'async' }),
        );
      },
    );
    expect(outcome?.error).toBeUndefined();
    expect(types(outcome!)).toEqual(['submitted', 'accepted', 'status', 'status', 'partial', 'status', 'result']);
    expect(items(outcome!).map((item) => (item as { status: string }).status)).toEqual(['downloaded', 'success']);
    expect(outcome?.completed).toBe(true);
  });
});

describe('training, polled', () => {
  it('reports named phases as partial events, progress as status events, and ends with the model', () => {
    let outcome: Outcome | undefined;
    scene(
      ({ taskType, taskUUID }, server) => {
        const polls = server.tasks('getResponse').length;
        const answer = (item: object) => server.reply({ data: [{ taskType: 'training', taskUUID, ...item }] }, 10);
        if (taskType === 'training') answer({});
        else if (polls === 1) answer({ status: 'validating' });
        else if (polls === 2) answer({ status: 'processing', progress: 40 });
        else answer({ status: 'success', air: 'me:2@1', outputs: { files: [{ url: 'https://example.com/lora.safetensors' }] } });
      },
      (runware, _server, record) => {
        outcome = record(runware.training$({ model: 'runware:flux-lora@1', importModel: { air: 'me:2@1', name: 'trained' }, inputs: { dataset: 'https://example.com/set.zip' } }));
      },
    );
    // Every poll answer is reported: one in a named phase is still processing, and says which.
    expect(types(outcome!)).toEqual(['submitted', 'accepted', 'status', 'partial', 'status', 'status', 'result']);
    expect(outcome?.events.filter((event) => event.type === 'status').slice(0, 2)).toMatchObject([{ status: 'processing', poll: 1 }, { status: 'processing', progress: 40, poll: 2 }]);
    expect(outcome?.completed).toBe(true);
  });
});

describe('results without an output UUID', () => {
  it('are counted one by one, identical or not: two texts, one search page', () => {
    let texts: Outcome | undefined;
    let search: Outcome | undefined;
    scene(
      ({ taskType, taskUUID }, server) => {
        if (taskType === 'textInference') for (const at of [10, 20]) server.reply({ data: [{ taskType, taskUUID, text: 'Same answer.', finishReason: 'stop' }] }, at);
        else server.reply({ data: [{ taskType, taskUUID, totalResults: 1, results: [{ air: 'runware:101@1', name: 'FLUX', tags: [], private: false }] }] }, 10);
      },
      (runware, _server, record) => {
        texts = record(runware.textInference$({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'Hello' }], numberResults: 2 }));
        search = record(runware.modelSearch$({ search: 'flux' }));
      },
    );
    expect(items(texts!)).toHaveLength(2);
    expect(texts?.completed).toBe(true);
    expect(items(search!)).toEqual([expect.objectContaining({ totalResults: 1 })]);
  });
});

describe('getTaskDetails', () => {
  it('is sent under the looked-up task’s taskUUID, and recognised by its taskType', () => {
    const target = '6a1f4c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b';
    let outcome: Outcome | undefined;
    const server = scene(
      ({ taskUUID }, host) =>
        host.reply({ data: [{ taskType: 'getTaskDetails', taskUUID, request: [{ taskType: 'imageInference' }], response: { data: [{ imageUUID: 'x' }] } }] }, 10),
      (runware, _server, record) => {
        outcome = record(runware.getTaskDetails$({ taskUUID: target }));
      },
    );
    expect(server.received.map(({ task }) => [task.taskType, task.taskUUID])).toEqual([['getTaskDetails', target]]);
    expect(items(outcome!)).toEqual([expect.objectContaining({ request: [{ taskType: 'imageInference' }] })]);
  });
});

describe('3dInference', () => {
  it('is polled by default and pushed when sent sync; its files identify it', () => {
    let polled: Outcome | undefined;
    let pushed: Outcome | undefined;
    const server = scene(
      ({ taskType, taskUUID, deliveryMethod }, host) => {
        const done = { taskType: '3dInference', taskUUID, outputs: { files: [{ uuid: `${taskUUID}-glb`, url: 'https://example.com/m.glb' }] } };
        if (taskType === 'getResponse') host.reply({ data: [{ ...done, status: 'success' }] }, 10);
        else host.reply({ data: [deliveryMethod === 'async' ? { taskType, taskUUID } : done] }, 10);
      },
      (runware, _server, record) => {
        polled = record(runware.threeDInference$({ model: 'runware:3d@1', positivePrompt: 'a chair' }));
        pushed = record(runware.inference3d$({ model: 'runware:3d@1', positivePrompt: 'a chair', deliveryMethod: 'sync' }));
      },
    );
    expect(types(polled!)).toEqual(['submitted', 'accepted', 'status', 'result']);
    expect(types(pushed!)).toEqual(['submitted', 'result']);
    expect(server.tasks('3dInference').map((task) => task['deliveryMethod'])).toEqual(['async', 'sync']);
  });
});

describe('the video tools', () => {
  it('are async only: sync delivery is refused before anything is sent', () => {
    let outcome: Outcome | undefined;
    const server = scene(
      () => undefined,
      (runware, _server, record) => {
        outcome = record(runware.videoUpscale$({ inputs: { video: 'https://example.com/v.mp4' }, deliveryMethod: 'sync' } as never));
      },
    );
    expect(outcome?.error).toMatchObject({ code: 'validation', parameter: 'deliveryMethod' });
    expect(server.received).toEqual([]);
  });
});

describe('cost', () => {
  it('is summed per request, on each result event so far', () => {
    let outcome: Outcome | undefined;
    scene(
      ({ taskUUID }, server) => {
        server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: 'a', cost: 0.1 }] }, 10);
        server.reply({ data: [{ taskType: 'imageInference', taskUUID, imageUUID: 'b', cost: 0.2 }] }, 20);
      },
      (runware, _server, record) => {
        outcome = record(runware.imageInference$({ model: 'runware:101@1', positivePrompt: 'a lighthouse', numberResults: 2, includeCost: true }));
      },
    );
    expect(outcome?.events.flatMap((event) => (event.type === 'result' ? [event.cost] : []))).toEqual([0.1, 0.3]);
  });
});

describe('getResponse', () => {
  it('asks once and gives the task’s state as the answer says, without waiting for it to finish', () => {
    const target = '7b2e5d3f-9c4a-4f6b-8a1c-2d3e4f5a6b7c';
    let outcome: Outcome | undefined;
    const server = scene(
      ({ taskUUID }, host) =>
        host.reply({ data: [{ taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v1' }, { taskType: 'videoInference', taskUUID, status: 'processing', progress: 50 }] }, 10),
      (runware, _server, record) => {
        outcome = record(runware.getResponse$(target, { taskType: 'videoInference' }));
      },
    );
    expect(server.received.map(({ task }) => task.taskType)).toEqual(['getResponse']);
    expect(types(outcome!)).toEqual(['status', 'result']);
    expect(outcome?.events[0]).toMatchObject({ status: 'processing', progress: 50 });
    expect(outcome?.completed).toBe(true);
  });
});

describe('dryRun', () => {
  it('goes over a connection of its own with dryRun=1, and resolves with the priced answer', async () => {
    let answer: unknown;
    const server = scene(
      ({ taskType, taskUUID }, host) => host.reply({ data: [{ taskType, taskUUID, cost: 0.0013 }] }, 10),
      (runware) => {
        void runware.dryRun('imageInference', { model: 'runware:101@1', positivePrompt: 'a lighthouse' }).then((result) => (answer = result));
      },
    );
    // The promise settled inside the virtual run; its callbacks run now.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(server.sockets.map((socket) => socket.url)).toEqual(['ws://sim.test/v1?dryRun=1']);
    expect(server.tasks('imageInference')).toHaveLength(1);
    expect(answer).toMatchObject({ taskType: 'imageInference', cost: 0.0013 });
  });
});
