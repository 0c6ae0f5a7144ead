import { afterEach, describe, expect, it } from 'vitest';
import type { RunwareClient } from 'runware-rx';
import { createRunware, withExtraFields } from 'runware-rx';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';

/*
 * A taskUUID among the parameters is refused, since the method sets the task's identity; given
 * on purpose through withExtraFields (the typed way to add a field) it is refused just the same.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };
const servers: HostileServer[] = [];
const clients: RunwareClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((runware) => runware.disconnect()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('a taskUUID among the parameters through withExtraFields', () => {
  it('is refused like any other taskUUID among the parameters, and nothing is sent under another taskUUID', async () => {
    const server = await startHostileServer(
      politeAuth((task: Task, socket) => {
        socket.send(JSON.stringify({ data: [{ taskType: task.taskType, taskUUID: task.taskUUID, imageUUID: '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d', imageURL: 'http://127.0.0.1/i.png' }] }));
      }),
    );
    servers.push(server);
    const runware = createRunware({ apiKey: 'test-key-0001', url: server.url });
    clients.push(runware);
    const taskUUID = '6a1f4c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b';
    const outcome = await runware.imageInference(withExtraFields(image, { taskUUID })).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    const sentUnder = server.received.filter((task) => task.taskType === 'imageInference').map((task) => task.taskUUID);
    expect({ outcome, sentUnder }).toEqual({ outcome: expect.objectContaining({ code: 'validation', parameter: 'taskUUID' }) as unknown, sentUnder: [] });
  });
});
