/*
 * runware-rx/node: what only Node can do. `fromFile(path)` makes a local file a media input;
 * `createWebhookReceiver` receives the results Runware POSTs to a task's `webhookURL`.
 */
export { fromFile } from './from-file.js';
export { readWebhookBody } from './webhook-body.js';
export { createWebhookInbox } from './webhook-inbox.js';
export { createWebhookReceiver } from './webhook-receiver.js';

export type { KnownTaskType, WebhookFailure, WebhookItem, WebhookItemBase, WebhookOther, WebhookResult } from './webhook-body.js';
export type { WebhookInbox, WebhookInboxOptions } from './webhook-inbox.js';
export type { WebhookReceiver, WebhookReceiverOptions } from './webhook-receiver.js';
