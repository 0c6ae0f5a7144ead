import type { RequestListener } from 'node:http';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookItem } from 'runware-rx/node';
import { loopbackHttp } from '../support/loopback-http.js';
import { client, simulator } from '../support/simulator.js';

const serveOrigin = loopbackHttp();
/** Serves a receiver and gives the webhookURL for it, with the query token Runware's URLs carry. */
const serve = async (listener: RequestListener): Promise<string> => `${await serveOrigin(listener)}/runware?token=t`;

describe('webhooks end to end: the simulator POSTs, createWebhookReceiver reads', () => {
  it('an async image task’s results reach the receiver, typed, the same as getResponse gives the client', async () => {
    const sim = await simulator({ media: false });
    const receiver = createWebhookReceiver();
    const arrived = firstValueFrom(receiver.items$.pipe(take(2), toArray()));
    const webhookURL = await serve(receiver.handler);
    const runware = client(sim);

    const results = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a quiet harbour at dawn', width: 512, height: 512, numberResults: 2, deliveryMethod: 'async', webhookURL });
    const items = await arrived;
    const uuids = items.map((item) => (item.type === 'result' && item.taskType === 'imageInference' ? item.result.imageUUID : item.type));
    expect(uuids.sort()).toEqual(results.map((result) => result.imageUUID).sort());
    expect(items.map((item) => item.taskUUID)).toEqual([results[0]!.taskUUID, results[0]!.taskUUID]);
  });

  it('a task sent with a webhookURL and no deliveryMethod is polled after its acknowledgement: the server sends its results to the webhook, not on the socket', async () => {
    const sim = await simulator({ media: false });
    const receiver = createWebhookReceiver();
    const arrived = firstValueFrom(receiver.items$.pipe(take(1), toArray()));
    const webhookURL = await serve(receiver.handler);
    // A deadline the test would meet only by waiting for results that never come on the socket.
    const runware = client(sim, { answerTimeout: 600_000, timeout: 600_000 });

    const events = await firstValueFrom(runware.imageInference$({ model: 'runware:101@1', positivePrompt: 'a harbour by hook', width: 512, height: 512, webhookURL }).pipe(toArray()));
    const [item] = await arrived;
    const result = events.find((event) => event.type === 'result');
    expect(events.map((event) => event.type)).toContain('accepted');
    expect(result?.type === 'result' && item?.type === 'result' && item.taskType === 'imageInference' ? item.result.imageUUID : undefined).toBe(
      result?.type === 'result' ? (result.item as { imageUUID: string }).imageUUID : 'no result',
    );
    expect(sim.stats().tasksReceived['getResponse']).toBeGreaterThan(0);
  });

  it('a video’s result and a failed generation’s error arrive as a result and a RunwareError', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    const receiver = createWebhookReceiver();
    const arrived = firstValueFrom(receiver.items$.pipe(take(2), toArray()));
    const webhookURL = await serve(receiver.handler);
    const runware = client(sim);
    const [video] = await runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'waves at night', duration: 5, webhookURL });
    sim.faults.failNextItems(1, 'timeoutProvider');
    await expect(runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a failing harbour', width: 512, height: 512, deliveryMethod: 'async', webhookURL })).rejects.toThrow();
    const items = await arrived;
    const result = items.find((item) => item.type === 'result');
    const failure = items.find((item): item is Extract<WebhookItem, { type: 'error' }> => item.type === 'error');
    expect(result).toEqual(expect.objectContaining({ taskType: 'videoInference', taskUUID: video!.taskUUID, key: `${video!.taskUUID} ${video!.videoUUID}` }));
    expect(failure?.error).toEqual(expect.objectContaining({ code: 'timeout', serverCode: 'timeoutProvider', taskType: 'imageInference', sent: true }));
  });

  it('de-duplicates the retry of a POST whose 2xx came too late: emitted once, delivered twice', async () => {
    const sim = await simulator({ media: false, webhooks: { timeoutMs: 200, initialDelayMs: 10 } });
    const receiver = createWebhookReceiver();
    const items: WebhookItem[] = [];
    const first = firstValueFrom(receiver.items$);
    receiver.items$.subscribe((item) => items.push(item));
    let requests = 0;
    // The first answer is held back past the simulator's timeout, as from a receiver too slow to reply.
    const webhookURL = await serve((request, response) => {
      requests += 1;
      if (requests === 1) response.end = (() => response) as typeof response.end;
      receiver.handler(request, response);
    });
    const runware = client(sim);
    await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a harbour twice', width: 512, height: 512, deliveryMethod: 'async', webhookURL });
    await first;
    await sim.webhooks.idle();
    expect(sim.webhooks.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'delivered', attempts: ['timeout', 204] }]);
    expect(requests).toBe(2);
    expect(items).toHaveLength(1);
  });
});
