import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord, RunwareClient, RunwareError, RunwareOptions } from 'runware-rx';
import { createRunware, isRunwareError } from 'runware-rx';
import type { HostileServer, Task } from '../support/hostile-server.js';
import { authOk, politeAuth, startHostileServer } from '../support/hostile-server.js';
import { pause, waitFor } from '../support/wait-for.js';

/*
 * A server that misbehaves on purpose: garbage, wrong shapes, deep nesting, huge items, silence,
 * drops right after authentication, echoes of the key. Whatever it does, every request settles
 * with a typed error or a result, the connection is not torn down by what a frame contains, the
 * key appears nowhere, and nothing is left running.
 */

/** A key with the characters JSON escapes, so that every spelling of it is exercised. */
const KEY = 'hostile"key\\with/odd-chars-0001';
const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const TIMINGS: RunwareOptions = { heartbeatInterval: 200, heartbeatTimeout: 300, authTimeout: 1000, retryDelay: 20, pollInterval: 50, answerTimeout: 1000 };

const servers: HostileServer[] = [];
const clients: RunwareClient[] = [];
const logs: LogRecord[] = [];

async function hostile(behaviour: Parameters<typeof startHostileServer>[0]): Promise<HostileServer> {
  const server = await startHostileServer(behaviour);
  servers.push(server);
  return server;
}

function client(server: HostileServer, options: RunwareOptions = {}): RunwareClient {
  const created = createRunware({ apiKey: KEY, url: server.url, logger: (record) => logs.push(record), ...TIMINGS, ...options });
  clients.push(created);
  return created;
}

const result = (task: Task, fields: object = {}) => ({ taskType: task.taskType, taskUUID: task.taskUUID, imageUUID: `${String(task.taskUUID)}-image`, ...fields });
const send = (socket: { send(text: string): void }, frame: unknown) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
const failure = async (promise: Promise<unknown>): Promise<RunwareError> => {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isRunwareError(error)) throw new Error(`expected a typed error, got ${String(error)}`);
  return error;
};

/** Every spelling of the key a frame or a message could carry. */
const keySpellings = [KEY, JSON.stringify(KEY).slice(1, -1), KEY.replace(/"/g, '\\u0022')];
const mentionsKey = (text: string): boolean => keySpellings.some((spelling) => text.includes(spelling));

let before: Map<string, number>;
const resources = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
};

beforeAll(() => {
  before = resources();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((runware) => runware.disconnect()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  expect(logs.filter((record) => mentionsKey(record.detail))).toEqual([]);
  logs.length = 0;
});

afterAll(async () => {
  // Sockets whose peer never answers a close are cut a second later.
  await pause(1200);
  const after = resources();
  const leaked = [...after].filter(([kind, count]) => kind !== 'TTYWrap' && count > (before.get(kind) ?? 0));
  expect(leaked).toEqual([]);
});

describe('a hostile server', () => {
  it('sends garbage between answers: it is logged and the task completes on the same connection', async () => {
    const server = await hostile(
      politeAuth((task, socket) => {
        for (const junk of ['<html>502</html>', '[1,2,3]', '{}', '"pong"', '{"data":"nope"}', '}{', '']) send(socket, junk);
        send(socket, { data: [result(task)] });
      }),
    );
    const images = await client(server).imageInference(image);
    expect(images).toHaveLength(1);
    expect(server.connections).toBe(1);
    expect(logs.filter((record) => record.event === 'frame.invalid').length).toBeGreaterThanOrEqual(6);
  });

  it('sends an item of the wrong shape: only the task it names fails, its frame-mates are served', async () => {
    const tasks: Task[] = [];
    const server = await hostile(
      politeAuth((task, socket) => {
        tasks.push(task);
        if (tasks.length < 2) return;
        const [a, b] = tasks as [Task, Task];
        send(socket, { data: [{ taskUUID: a.taskUUID, taskType: 7 }, result(b), 42, null] });
      }),
    );
    const runware = client(server);
    const [first, second] = await Promise.allSettled([runware.imageInference(image), runware.imageInference({ ...image, positivePrompt: 'a second one' })]);
    expect(first).toMatchObject({ status: 'rejected', reason: { name: 'ProtocolError', code: 'protocol', raw: { taskType: 7 } } });
    expect(second).toMatchObject({ status: 'fulfilled' });
    expect(server.connections).toBe(1);
  });

  it('sends an error item nested ten thousand deep, echoing the key: the task fails typed, the connection stays', async () => {
    const server = await hostile(
      politeAuth((task, socket) => {
        // Written as text: serialising it would overflow this test's own stack.
        const deep = `${'{"nested":'.repeat(10_000)}{"echo":${JSON.stringify(KEY)}}${'}'.repeat(10_000)}`;
        const item = `{"code":"invalidPositivePrompt","message":${JSON.stringify(`not for ${KEY}`)},"taskUUID":"${String(task.taskUUID)}","details":${deep}}`;
        socket.send(`{"errors":[${item}]}`);
      }),
    );
    const runware = client(server);
    const error = await failure(runware.imageInference(image));
    expect(error).toMatchObject({ code: 'validation', serverCode: 'invalidPositivePrompt', sent: true });
    expect(mentionsKey(error.message)).toBe(false);
    // The next request runs on the same socket: nothing was torn down.
    expect(await failure(runware.imageInference(image))).toMatchObject({ code: 'validation' });
    expect(server.connections).toBe(1);
  });

  it('sends a huge result item: it is delivered', async () => {
    const payload = 'A'.repeat(8 * 1024 * 1024);
    const server = await hostile(politeAuth((task, socket) => send(socket, { data: [result(task, { imageBase64Data: payload })] })));
    const [item] = await client(server).imageInference({ ...image, outputType: 'base64Data' });
    expect(item?.imageBase64Data?.length).toBe(payload.length);
  });

  it('goes silent after authentication: the task is sent again, then fails typed; the dead socket is replaced', async () => {
    const server = await hostile({ onTask: (task, socket) => void (task.taskType === 'authentication' && authOk(socket)) });
    const error = await failure(client(server, { maxRetries: 1, answerTimeout: 400 }).imageInference(image));
    expect(['timeout', 'connection']).toContain(error.code);
    expect(server.received.filter((task) => task.taskType === 'imageInference').length).toBeGreaterThanOrEqual(2);
  });

  it('drops every socket right after authentication: backoff holds and the attempt limit ends it', async () => {
    const server = await hostile({
      onTask(task, socket) {
        if (task.taskType !== 'authentication') return;
        authOk(socket);
        setImmediate(() => socket.terminate());
      },
    });
    const runware = client(server, { maxReconnectAttempts: 3, maxRetries: 2, retryDelay: 20, timeout: 20_000 });
    const error = await failure(runware.imageInference(image));
    expect(error.code).toBe('connection');
    // Each of the 3 attempts of the request dials once and reconnects 3 times at most: 12 sockets,
    // not the hundreds a counter reset by every authentication would allow.
    expect(server.connections).toBeLessThanOrEqual(12);
  });

  it('echoes the key back in errors and results, in every spelling: no error and no log line carries it', async () => {
    const server = await hostile(
      politeAuth((task, socket) => {
        const escaped = JSON.stringify(KEY).slice(1, -1).replace(/"/g, '\\u0022');
        socket.send(`{"errors":[{"code":"invalidApiKey","message":"key ${escaped} refused","taskUUID":"${String(task.taskUUID)}","apiKey":"${escaped}"}]}`);
      }),
    );
    const error = await failure(client(server).imageInference(image));
    expect(error.code).toBe('auth');
    const everything = JSON.stringify({ message: error.message, details: error.details, stack: error.stack, cause: String(error.cause) });
    expect(mentionsKey(everything)).toBe(false);
    expect(logs.some((record) => record.event === 'frame.in')).toBe(true);
  });
});

describe('a server that is not there', () => {
  it('fails the first request at once, not after seconds of retries, since nothing ever connected', async () => {
    const closed = await startHostileServer({ onTask: () => undefined });
    const { url } = closed;
    await closed.close();
    const runware = createRunware({ apiKey: KEY, url, retryDelay: 1000, maxRetries: 2 });
    clients.push(runware);
    const events: string[] = [];
    const error = await new Promise<RunwareError>((resolve) => runware.image$(image).subscribe({ next: (event) => events.push(event.type), error: resolve }));
    expect(error).toMatchObject({ code: 'connection', retryable: false, sent: false });
    expect(events).not.toContain('retrying');
  });
});

describe('requests that cannot be sent', () => {
  it('are refused before anything is sent when their parameters cannot be carried by JSON, even while the rate gate is closed', async () => {
    const server = await hostile(
      politeAuth((task, socket) => send(socket, { errors: [{ code: 'rateLimitExceeded', message: 'slow down', taskUUID: task.taskUUID }] })),
    );
    const runware = client(server, { retryDelay: 200 });
    const first = runware.imageInference(image).catch(() => undefined);
    await waitFor(() => server.received.some((task) => task.taskType === 'imageInference'));
    await pause(50);
    const error = await failure(runware.imageInference({ ...image, settings: { huge: Number.NaN } }));
    expect(error).toMatchObject({ name: 'ValidationError', code: 'validation', parameter: 'settings.huge', sent: false });
    expect(error.message).toContain('settings.huge must be a finite number');
    await runware.disconnect();
    await first;
  });
});

describe('durations at their limits', () => {
  it('takes authTimeout: Infinity as no deadline: connect() waits for a server that has not answered', async () => {
    const server = await hostile({ onTask: () => undefined });
    const runware = client(server, { authTimeout: Infinity });
    let settled = false;
    const connecting = runware.connect().then(
      () => (settled = true),
      () => (settled = true),
    );
    await waitFor(() => server.received.some((task) => task.taskType === 'authentication'));
    await pause(300);
    expect(settled).toBe(false);
    await runware.disconnect();
    await connecting;
  });

  it('takes heartbeatInterval: Infinity as no heartbeat: no ping is ever sent', async () => {
    const server = await hostile(politeAuth(() => undefined));
    const runware = client(server, { heartbeatInterval: Infinity });
    await runware.connect();
    await pause(600);
    expect(server.received.filter((task) => task.taskType === 'ping')).toEqual([]);
  });

  it('refuses a duration a timer would take as 1 ms, naming the option', () => {
    expect(() => createRunware({ apiKey: KEY, heartbeatInterval: 3e9 })).toThrow(expect.objectContaining({ code: 'validation', parameter: 'heartbeatInterval' }));
    expect(() => createRunware({ apiKey: KEY, authTimeout: Number.NaN })).toThrow(expect.objectContaining({ parameter: 'authTimeout' }));
    expect(() => createRunware({ apiKey: KEY, retryDelay: Infinity })).toThrow(expect.objectContaining({ parameter: 'retryDelay' }));
  });
});
