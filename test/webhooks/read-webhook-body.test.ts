import { describe, expect, it } from 'vitest';
import { ProtocolError, RunwareError } from 'runware-rx';
import { createWebhookInbox, readWebhookBody } from 'runware-rx/node';

const taskUUID = '6f1c7a4e-2b9d-4c1e-9a3f-0d2e5b7c8a91';
const image = { taskType: 'imageInference', taskUUID, status: 'success', imageUUID: 'a1', imageURL: 'https://im.runware.ai/a1.jpg', seed: 7, cost: 0.0013 };

describe('readWebhookBody', () => {
  it('reads a flat result item (protocol §10.5), as text, bytes or a parsed value, keyed by taskUUID and output UUID', () => {
    const expected = [{ type: 'result', taskType: 'imageInference', taskUUID, key: `${taskUUID} a1`, result: image }];
    expect(readWebhookBody(JSON.stringify(image))).toEqual(expected);
    expect(readWebhookBody(new TextEncoder().encode(JSON.stringify(image)))).toEqual(expected);
    expect(readWebhookBody(image)).toEqual(expected);
  });

  it('hands a seed past 2^53 − 1 over exactly, as a BigInt of the digits Runware wrote, from text or bytes', () => {
    const text = JSON.stringify(image).replace('"seed":7', '"seed":9223372036854775807');
    for (const body of [text, new TextEncoder().encode(text)]) {
      const [item] = readWebhookBody(body);
      expect(item).toEqual(expect.objectContaining({ type: 'result', result: expect.objectContaining({ seed: 9223372036854775807n }) }));
    }
    // A seed a number holds stays a number.
    expect(readWebhookBody(JSON.stringify(image))[0]).toEqual(expect.objectContaining({ result: expect.objectContaining({ seed: 7 }) }));
  });

  it('reads the { data, errors } envelope too, since §5.7 leaves the envelope open', () => {
    const failure = { code: 'timeoutProvider', message: 'The provider did not answer in time.', taskUUID, taskType: 'imageInference', status: 'error' };
    const items = readWebhookBody({ data: [image], errors: [failure] });
    expect(items.map((item) => item.type)).toEqual(['result', 'error']);
    expect(readWebhookBody({ data: [] })).toEqual([]);
  });

  it('finds the output UUID with the task definition’s own reader: videoUUID for a video, and either for an upscale of an image or a video', () => {
    const video = { taskType: 'videoInference', taskUUID, status: 'success', videoUUID: 'v1', videoURL: 'https://x/v1.mp4' };
    expect(readWebhookBody(video)[0]).toEqual(expect.objectContaining({ type: 'result', key: `${taskUUID} v1` }));
    expect(readWebhookBody({ taskType: 'upscale', taskUUID, imageUUID: 'i2' })[0]!.key).toBe(`${taskUUID} i2`);
    expect(readWebhookBody({ taskType: 'upscale', taskUUID, videoUUID: 'v2' })[0]!.key).toBe(`${taskUUID} v2`);
  });

  it('keys a result without an output UUID by what it says, less its status and cost', () => {
    const [first] = readWebhookBody({ taskType: 'caption', taskUUID, text: 'a red bicycle', status: 'success', cost: 0.001 });
    const [again] = readWebhookBody({ text: 'a red bicycle', taskUUID, taskType: 'caption' });
    expect(first!.type).toBe('result');
    expect(again!.key).toBe(first!.key);
    expect(readWebhookBody({ taskType: 'caption', taskUUID, text: 'a blue bicycle' })[0]!.key).not.toBe(first!.key);
  });

  it('maps a failed item of either shape (protocol §5.5) to a RunwareError naming its task', () => {
    const flat = readWebhookBody({ taskType: 'videoInference', taskUUID, status: 'error', code: 'timeoutProvider', message: 'too slow' });
    const nested = readWebhookBody({ taskType: 'videoInference', taskUUID, status: 'error', error: { code: 'timeoutProvider', message: 'too slow' } });
    for (const [item] of [flat, nested]) {
      expect(item!.type).toBe('error');
      if (item!.type !== 'error') continue;
      expect(item!.error).toBeInstanceOf(RunwareError);
      expect(item!.error).toEqual(expect.objectContaining({ code: 'timeout', serverCode: 'timeoutProvider', message: 'too slow', taskUUID, taskType: 'videoInference', sent: true, retryable: true }));
    }
  });

  it('keeps what it cannot type, as "other": an unknown task type, a processing status', () => {
    expect(readWebhookBody({ taskType: 'futureTask', taskUUID, outputUUID: 'f1' })[0]).toEqual(
      expect.objectContaining({ type: 'other', taskType: 'futureTask', item: { taskType: 'futureTask', taskUUID, outputUUID: 'f1' } }),
    );
    expect(readWebhookBody({ taskType: 'training', taskUUID, status: 'processing', progress: 40 })[0]!.type).toBe('other');
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['null', null],
    ['an empty object', {}],
    ['an item without taskUUID', { taskType: 'imageInference', imageUUID: 'a1' }],
    ['an item without taskType', { taskUUID, imageUUID: 'a1' }],
    ['an envelope whose item is not an object', { data: [42] }],
    ['an error without a code', { errors: [{ taskUUID, message: 'x' }] }],
  ])('refuses %s with a ProtocolError', (_what, body) => {
    expect(() => readWebhookBody(body)).toThrow(ProtocolError);
  });
});

describe('createWebhookInbox', () => {
  it('admits an item once per key, and forgets the oldest key past its bound', () => {
    const inbox = createWebhookInbox({ maxKeys: 2 });
    const [a] = readWebhookBody(image);
    const [b] = readWebhookBody({ ...image, imageUUID: 'b' });
    const [c] = readWebhookBody({ ...image, imageUUID: 'c' });
    expect([inbox.admit(a!), inbox.admit(a!), inbox.admit(b!), inbox.admit(c!)]).toEqual([true, false, true, true]);
    expect(inbox.size).toBe(2);
    // a was the oldest: forgotten, so admitted again.
    expect(inbox.admit(a!)).toBe(true);
    expect(() => createWebhookInbox({ maxKeys: 0 })).toThrow(RangeError);
  });
});
