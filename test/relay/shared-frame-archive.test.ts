import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { authenticate } from '../simulator/support/raw-client.js';
import { rawBrowser, relayServer } from './support.js';

/*
 * The relay packs the tasks of several users into one upstream frame (while it authenticates, in
 * one turn, on a re-send). Protocol §4.20 describes getTaskDetails' `request` as the original task
 * array: an archive that keeps the frame (and what answered it) would hand a user the tasks and
 * results of everyone who shared it.
 * The stand-in here answers so; the simulator keeps the task alone.
 */

/** A server whose archive keeps each task's whole frame, and whose authentication is slow, so tasks of two users share a frame. */
async function frameArchivingServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const archive = new Map<string, { request: unknown; response: unknown }>();
  const frames: string[][] = [];
  wss.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const tasks = JSON.parse(String(raw)) as { taskType: string; taskUUID: string }[];
      frames.push(tasks.map((task) => task.taskType));
      // What the frame was answered with, as the archive keeps it beside the frame.
      const response = { data: [] as object[] };
      for (const { taskType, taskUUID } of tasks) {
        const answer = (item: object) => socket.send(JSON.stringify({ data: [{ taskType, taskUUID, ...item }] }));
        if (taskType === 'authentication') setTimeout(() => answer({ connectionSessionUUID: 'upstream-session' }), 300);
        else if (taskType === 'ping') answer({ pong: true });
        else if (taskType === 'getTaskDetails') answer(archive.get(taskUUID) ?? { request: [], response: { data: [] } });
        else {
          const result = { imageUUID: randomUUID(), imageURL: `https://im.example/${taskUUID}.jpg` };
          response.data.push({ taskType, taskUUID, ...result });
          archive.set(taskUUID, { request: tasks, response });
          answer(result);
        }
      }
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v1`,
    frames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

let upstream: Awaited<ReturnType<typeof frameArchivingServer>> | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

describe('getTaskDetails of a task that shared its upstream frame with another user', () => {
  it("shows the user their own task of the archive's request and response, not the other user's", async () => {
    upstream = await frameArchivingServer();
    const server = await relayServer(upstream);
    const alice = await rawBrowser(server);
    await authenticate(alice, 'alice-session-token');
    const bob = await rawBrowser(server);
    await authenticate(bob, 'bob-session-token');
    const aliceTask = randomUUID();
    const bobTask = randomUUID();
    alice.send([{ taskType: 'imageInference', taskUUID: aliceTask, model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 }]);
    bob.send([{ taskType: 'imageInference', taskUUID: bobTask, model: 'runware:101@1', positivePrompt: 'bob-private-prompt', width: 512, height: 512 }]);
    await alice.results(aliceTask);
    await bob.results(bobTask);
    // The premise: both users' tasks went up in one frame.
    expect(upstream.frames).toContainEqual(['imageInference', 'imageInference']);

    alice.send([{ taskType: 'getTaskDetails', taskUUID: aliceTask }]);
    const details = await alice.until(() => alice.frames.flatMap((frame) => frame.data ?? []).find((item) => item['taskType'] === 'getTaskDetails'));
    expect(details['request']).toEqual([expect.objectContaining({ taskUUID: aliceTask, positivePrompt: 'a lighthouse' })]);
    expect(details['response']).toEqual({ data: [expect.objectContaining({ taskUUID: aliceTask, imageURL: expect.any(String) })] });
    expect(JSON.stringify(alice.frames)).not.toContain('bob-private-prompt');
    expect(JSON.stringify(alice.frames)).not.toContain(bobTask);
  });
});
