/**
 * What only Node can do: `fromFile(path)` makes a local file a media input, read when the request
 * is sent (a string is never read as a path); `createWebhookReceiver()` is a `node:http` endpoint
 * for the results Runware POSTs to a task's `webhookURL`, de-duplicated and emitted as an
 * Observable, and `readWebhookBody()` with `createWebhookInbox()` do the same inside any framework.
 *
 * @module runware-rx/node
 */
export * from '../src/node/index.js';
