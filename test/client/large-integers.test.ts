import { afterEach, describe, expect, it } from 'vitest';
import type { RunwareClient } from 'runware-rx';
import { createRunware } from 'runware-rx';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';

/*
 * A seed goes up to 2^63 − 1 (protocol §4.2), and a JavaScript number holds every integer only up
 * to 2^53 − 1: read as a number, the seed 9223372036854775807 a result carries would be handed
 * over as 9223372036854775808, another seed than the one the image was made with, and one the API
 * refuses. So an integer of an answer past Number.MAX_SAFE_INTEGER is handed over as a BigInt of
 * the digits the server wrote, and every other value as JSON.parse reads it.
 */

const servers: HostileServer[] = [];
const clients: RunwareClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((runware) => runware.disconnect()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server that answers every task with one image whose other fields are `fields`, written as JSON text. */
async function answering(fields: string): Promise<RunwareClient> {
  const server = await startHostileServer(
    politeAuth((task: Task, socket) => {
      const item = JSON.stringify({ taskType: task.taskType, taskUUID: task.taskUUID, imageUUID: '8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d', imageURL: 'http://127.0.0.1/i.png' });
      socket.send(`{"data":[${item.slice(0, -1)},${fields}}]}`);
    }),
  );
  servers.push(server);
  const runware = createRunware({ apiKey: 'test-key-0001', url: server.url });
  clients.push(runware);
  return runware;
}

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };

describe('integers in answers', () => {
  it('past 2^53 − 1 are handed over as BigInts of the digits the server wrote', async () => {
    const runware = await answering('"seed":9223372036854775807,"offsets":[-9007199254740993,18446744073709551615]');
    const [result] = await runware.imageInference({ ...image, seed: 9223372036854775807n });
    expect(result?.seed).toBe(9223372036854775807n);
    expect((result as unknown as { offsets: unknown }).offsets).toEqual([-9007199254740993n, 18446744073709551615n]);
  });

  it('up to 2^53 − 1, and every other value, are read as JSON.parse reads them', async () => {
    const runware = await answering('"seed":9007199254740991,"cost":0.12345678901234567,"NSFWContent":false,"note":"frame 12345678901234567890"');
    const [result] = await runware.imageInference({ ...image, seed: Number.MAX_SAFE_INTEGER });
    expect(result?.seed).toBe(9007199254740991);
    expect(result?.cost).toBe(0.12345678901234567);
    expect((result as unknown as { note: unknown }).note).toBe('frame 12345678901234567890');
  });
});
