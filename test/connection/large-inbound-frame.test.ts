import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/connection/connection.js';
import { createConnection } from '../../src/connection/create-connection.js';
import type { DataItem } from '../../src/protocol/frames.js';
import { defaultWebSocket } from '../../src/transport/default-socket.js';
import type { HostileServer } from '../support/hostile-server.js';
import { politeAuth, startHostileServer } from '../support/hostile-server.js';
import { TASK } from '../support/connection-harness.js';

/** Just over the 100 MiB that `ws` takes by default in one message. */
const RESULT_CHARS = 101 * 1024 * 1024;

let server: HostileServer | undefined;
let connection: Connection | undefined;

afterEach(async () => {
  await connection?.close();
  await server?.close();
  connection = server = undefined;
});

/*
 * A result may be large: a video asked for as base64 (outputType base64Data) is sent inline, in
 * one frame. Browsers take a message of any size; Node's `ws` closes the socket on one larger than
 * 100 MiB (1009), and the result, polled or re-sent for again, would come back just as large, over
 * and over. The default socket takes what a browser takes.
 */
describe('the default socket in Node', () => {
  it('receives a result frame larger than 100 MiB on the socket it asked on, as a browser does', { timeout: 120_000 }, async () => {
    server = await startHostileServer(
      politeAuth((task, socket) => {
        if (task.taskType !== 'imageInference') return;
        socket.send(`{"data":[{"taskType":"imageInference","taskUUID":"${TASK}","imageBase64Data":"${'A'.repeat(RESULT_CHARS)}"}]}`);
      }),
    );
    connection = createConnection({
      url: server.url,
      apiKey: 'secret-key-123',
      WebSocket: defaultWebSocket(),
      authTimeout: 30_000,
      heartbeat: { interval: 60_000, timeout: 60_000 },
      reconnect: { initialDelay: 100, maxDelay: 1000, jitter: 0, attempts: 3 },
      maxFrameLength: 1_000_000,
      flushAt: Infinity,
      log: undefined,
    });
    const open = connection;
    const reply = await new Promise<readonly DataItem[]>((resolve, reject) => {
      const line = open.join(TASK, { sent: () => undefined, reply: (data) => resolve(data), fail: reject });
      line.send({ taskType: 'imageInference', taskUUID: TASK, positivePrompt: 'a large image' });
    });
    expect(reply).toHaveLength(1);
    expect(String(reply[0]?.['imageBase64Data']).length).toBe(RESULT_CHARS);
    expect(server.connections).toBe(1);
  });
});
