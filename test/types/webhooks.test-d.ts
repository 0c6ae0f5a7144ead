import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import type { RunwareError } from 'runware-rx';
import { createWebhookInbox, createWebhookReceiver, readWebhookBody, type KnownTaskType, type WebhookFailure, type WebhookItem, type WebhookOther, type WebhookResult } from 'runware-rx/node';
import type { ImageInferenceResult, UpscaleResult, VideoInferenceResult, VideoToolResult } from 'runware-rx/tasks';

describe('webhook receiver types', () => {
  it('readWebhookBody takes anything (text, bytes, a parsed value) and gives items', () => {
    expectTypeOf(readWebhookBody).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(readWebhookBody).returns.toEqualTypeOf<WebhookItem[]>();
  });

  it('an item is a result, an error or another item, told apart by `type`', () => {
    expectTypeOf<WebhookItem['type']>().toEqualTypeOf<'result' | 'error' | 'other'>();
    expectTypeOf<Extract<WebhookItem, { type: 'error' }>>().toEqualTypeOf<WebhookFailure>();
    expectTypeOf<Extract<WebhookItem, { type: 'other' }>>().toEqualTypeOf<WebhookOther>();
    expectTypeOf<WebhookFailure['error']>().toEqualTypeOf<RunwareError>();
    expectTypeOf<WebhookItem['key']>().toEqualTypeOf<string>();
    expectTypeOf<WebhookItem['taskUUID']>().toEqualTypeOf<string>();
  });

  it('a result narrows on its taskType to that task’s result type', () => {
    const item = {} as WebhookItem;
    if (item.type === 'result' && item.taskType === 'imageInference') expectTypeOf(item.result).toEqualTypeOf<ImageInferenceResult>();
    if (item.type === 'result' && item.taskType === 'videoInference') expectTypeOf(item.result).toEqualTypeOf<VideoInferenceResult>();
    // Two definitions share the wire taskType `upscale`: an image's and a video's.
    if (item.type === 'result' && item.taskType === 'upscale') expectTypeOf(item.result).toEqualTypeOf<UpscaleResult | VideoToolResult>();
    expectTypeOf<WebhookResult['taskType']>().toEqualTypeOf<KnownTaskType>();
    expectTypeOf<'imageInference'>().toExtend<KnownTaskType>();
    expectTypeOf<'notATask'>().not.toExtend<KnownTaskType>();
  });

  it('the result carries no any', () => {
    expectTypeOf<WebhookResult['result']>().not.toBeAny();
    expectTypeOf<WebhookOther['item']>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });

  it('the receiver is a node:http listener and an Observable of items', () => {
    const receiver = createWebhookReceiver({ authorize: (request) => request.url !== undefined, maxBodyBytes: 1024, inbox: createWebhookInbox({ maxKeys: 10 }) });
    expectTypeOf(receiver.handler).toEqualTypeOf<(request: IncomingMessage, response: ServerResponse) => void>();
    expectTypeOf(receiver.items$).toEqualTypeOf<Observable<WebhookItem>>();
    expectTypeOf(createWebhookInbox().admit).parameter(0).toEqualTypeOf<WebhookItem>();
    // @ts-expect-error maxKeys is a number
    createWebhookInbox({ maxKeys: '10' });
  });
});
