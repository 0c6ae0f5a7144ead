import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { imageTask, openAuthenticated } from './support/raw-client.js';

/** Sends raw bytes over TCP and resolves with the status line of the answer (or '' if the socket closed silently). */
const rawRequest = async (port: number, head: string): Promise<string> => {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(head);
  let answer = '';
  socket.on('data', (chunk: Buffer) => {
    answer += chunk.toString('latin1');
    if (answer.includes('\r\n')) socket.end();
  });
  socket.on('error', () => {});
  await once(socket, 'close');
  return answer.split('\r\n')[0] ?? '';
};

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const upgrade = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
const get = (path: string, method = 'GET') => `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

describe('simulator hardening: no request can crash it', () => {
  const harness = useSimulator();

  it.each([
    ['GET //', get('//'), /^HTTP\/1\.1 40[04]/],
    ['GET ///media/x', get('///media/x'), /^HTTP\/1\.1 40[04]/],
    ['GET /media/% (malformed percent-encoding)', get('/media/%'), /^HTTP\/1\.1 400/],
    ['GET /media/%E0%A4%A (truncated UTF-8)', get('/media/%E0%A4%A'), /^HTTP\/1\.1 400/],
    ['HEAD /media/%zz', get('/media/%zz', 'HEAD'), /^HTTP\/1\.1 400/],
    ['GET http://[bad/ (absolute form that is no URL)', get('http://[bad/'), /^HTTP\/1\.1 40[04]/],
    ['a WebSocket upgrade on //', upgrade('//'), /^HTTP\/1\.1 40[04]/],
    ['a WebSocket upgrade on //v1', upgrade('//v1'), /^HTTP\/1\.1 40[04]/],
    ['a WebSocket upgrade on /media/%', upgrade('/media/%'), /^HTTP\/1\.1 40[04]/],
  ])('answers %s with 400 or 404 and keeps serving', async (_name, head, status) => {
    const simulator = await harness.start({ media: false });
    expect(await rawRequest(simulator.port, head)).toMatch(status);
    // Still alive: HTTP and WebSocket both answer.
    expect((await fetch(`${simulator.httpUrl}/media/placeholder.png`)).status).toBe(200);
    const client = await openAuthenticated(simulator.url);
    await client.close();
  });
});

describe('simulator hardening: memory is bounded by bytes, echoes are short, keys stay secret', () => {
  const harness = useSimulator();
  const MB = 1024 * 1024;

  it('keeps big rejected tasks in the received-task log as bounded copies, and small ones whole', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.authed();
    const big = Array.from({ length: 8 }, () => imageTask({ positivePrompt: 'x'.repeat(2 * MB) }));
    for (const task of big) client.send([task]);
    const small = imageTask();
    client.send([small]);
    await client.results(String(small['taskUUID']));
    await client.until(() => (big.every((task) => client.itemsFor(String(task['taskUUID'])).errors.length === 1) ? true : undefined));

    const log = simulator.receivedTasks();
    // 16 MB of prompts went in; the log keeps a few KB of them.
    expect(JSON.stringify(log).length).toBeLessThan(256 * 1024);
    const kept = log.filter((task) => big.some((sent) => sent['taskUUID'] === task['taskUUID']));
    expect(kept).toHaveLength(8);
    expect(kept[0]).toMatchObject({ taskType: 'imageInference', model: 'runware:101@1', width: 256 });
    expect(String(kept[0]!['positivePrompt'])).toMatch(/^x{256}…\[2097152 chars\]$/);
    expect(log.at(-1)).toEqual(small);
  });

  it('redacts the apiKey of authentication tasks in receivedTasks()', async () => {
    const simulator = await harness.start({ media: false });
    await harness.authed('a-very-secret-key-42');
    const [auth] = simulator.receivedTasks();
    expect(auth).toEqual({ taskType: 'authentication', apiKey: '[redacted]' });
    expect(JSON.stringify(simulator.receivedTasks())).not.toContain('a-very-secret-key-42');
  });

  it('quotes a 10 MB invalid prompt, taskType or taskUUID in errors by a short prefix only', async () => {
    await harness.start({ media: false, framing: 'mixed' });
    const client = await harness.authed();
    const huge = 'p'.repeat(10 * MB);
    const prompt = imageTask({ positivePrompt: huge });
    client.send([prompt]);
    const [promptError] = (await client.results(String(prompt['taskUUID']))).errors;
    expect(promptError).toMatchObject({ code: 'invalidPositivePromptLength', parameter: 'positivePrompt' });
    expect(String(promptError!['message']).length).toBeLessThan(400);
    expect(String(promptError!['message'])).toContain('…[10485760 chars]');

    const before = client.frames.length;
    client.send([imageTask({ taskType: 't'.repeat(MB) }), imageTask({ taskUUID: 'u'.repeat(MB) })]);
    const frame = await client.nextFrame(before);
    expect(frame.errors).toHaveLength(2);
    expect(JSON.stringify(frame).length).toBeLessThan(2000);
    expect(frame.errors?.[0]).toMatchObject({ code: 'unsupportedTaskType', taskType: expect.stringMatching(/^t{80}…\[1048576 chars\]$/) });
    expect(frame.errors?.[1]).toMatchObject({ code: 'invalidTaskUUID', taskUUID: expect.stringMatching(/^u{80}…\[1048576 chars\]$/) });
  });

  it('bounds the sessions one socket can create by authenticating again and again', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.client();
    const rounds = 1500;
    // One frame of many authentications: each opens a session and detaches the previous one.
    client.send(Array.from({ length: rounds }, () => ({ taskType: 'authentication', apiKey: 'k' })));
    await client.until(() => (client.frames.length >= rounds ? true : undefined), 20_000);
    expect(simulator.stats().sessions).toBeLessThanOrEqual(1001);
    // The socket's own (latest) session still works.
    const task = imageTask();
    client.send([task]);
    expect((await client.results(String(task['taskUUID']))).data).toHaveLength(1);
  });

  it('counts invented task types under a bounded set of names', async () => {
    const simulator = await harness.start({ media: false });
    const client = await harness.authed();
    client.send(Array.from({ length: 400 }, (_, i) => imageTask({ taskType: `invented-${i}-${'z'.repeat(100)}` })));
    // One frame of errors per task (batched framing).
    await client.until(() => (client.frames.reduce((sum, frame) => sum + (frame.errors?.length ?? 0), 0) >= 400 ? true : undefined));
    const counted = simulator.stats().tasksReceived;
    expect(Object.keys(counted).length).toBeLessThanOrEqual(257);
    expect(Object.values(counted).reduce((sum, n) => sum + n, 0)).toBe(401);
    expect(Math.max(...Object.keys(counted).map((name) => name.length))).toBeLessThan(100);
  });
});

describe('simulator hardening: loading the media packages leaves the host process alone', () => {
  it('installs no process-wide uncaughtException or unhandledRejection handler (the encoder\'s Emscripten glue adds both)', async () => {
    // A fresh process: the packages install their handlers once, at first import.
    const script = [
      "const count = () => process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');",
      "const before = count();",
      "const { startSimulator } = await import('./src/simulator/index.ts');",
      'const simulator = await startSimulator({ media: true });',
      'const after = count();',
      'await simulator.close();',
      "console.log(JSON.stringify({ before, after, videos: simulator.media.videos }));",
    ].join('\n');
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot });
    expect(JSON.parse(stdout)).toEqual({ before: 0, after: 0, videos: 'real' });
  });
});
