import { describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookItem } from 'runware-rx/node';
import { loopbackHttp } from '../support/loopback-http.js';

/** Serves a listener on loopback, port 0, for this test. */
const serve = loopbackHttp();

const taskUUID = '0b6e5c1a-7d4f-4e2b-8c9a-1f3d5e7a9b20';
const image = { taskType: 'imageInference', taskUUID, status: 'success', imageUUID: 'img-1', imageURL: 'https://im.runware.ai/img-1.png', seed: 1 };
const post = (url: string, body: string, init: RequestInit = {}) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, ...init });

describe('createWebhookReceiver', () => {
  it('answers 204 and emits each new item once: a retried POST is answered 204 and not emitted again', async () => {
    const receiver = createWebhookReceiver();
    const items: WebhookItem[] = [];
    receiver.items$.subscribe((item) => items.push(item));
    const url = await serve(receiver.handler);
    expect((await post(`${url}/hook`, JSON.stringify(image))).status).toBe(204);
    expect((await post(`${url}/hook`, JSON.stringify(image))).status).toBe(204);
    expect((await post(`${url}/hook`, JSON.stringify({ ...image, imageUUID: 'img-2' }))).status).toBe(204);
    expect(items.map((item) => item.type === 'result' && item.taskType === 'imageInference' && item.result.imageUUID)).toEqual(['img-1', 'img-2']);
  });

  it('answers 400 to a body that is not Runware’s, and emits nothing', async () => {
    const receiver = createWebhookReceiver();
    const items: WebhookItem[] = [];
    receiver.items$.subscribe((item) => items.push(item));
    const url = await serve(receiver.handler);
    for (const body of ['{not json', '[]', '{}', JSON.stringify({ taskType: 'imageInference' })]) {
      const response = await post(url, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/^Not a Runware webhook body/) });
    }
    expect(items).toEqual([]);
  });

  it('answers 503 while nothing subscribes, without remembering the item, so Runware’s retry is taken', async () => {
    const receiver = createWebhookReceiver();
    const url = await serve(receiver.handler);
    const refused = await post(url, JSON.stringify(image));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const items: WebhookItem[] = [];
    receiver.items$.subscribe((item) => items.push(item));
    expect((await post(url, JSON.stringify(image))).status).toBe(204);
    expect(items).toHaveLength(1);
  });

  it('answers 405 to other methods, 401 when authorize refuses, 413 past maxBodyBytes', async () => {
    const receiver = createWebhookReceiver({ authorize: (request) => (request.url ?? '').endsWith('?token=good'), maxBodyBytes: 1024 });
    const items: WebhookItem[] = [];
    receiver.items$.subscribe((item) => items.push(item));
    const url = await serve(receiver.handler);
    const get = await fetch(`${url}/?token=good`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await post(`${url}/?token=bad`, JSON.stringify(image))).status).toBe(401);
    expect((await post(`${url}/?token=good`, JSON.stringify({ ...image, imageURL: 'x'.repeat(2048) }))).status).toBe(413);
    expect((await post(`${url}/?token=good`, JSON.stringify(image))).status).toBe(204);
    expect(items).toHaveLength(1);
  });
});
