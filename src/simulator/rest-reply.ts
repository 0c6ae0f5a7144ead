import type { ServerResponse } from 'node:http';
import { writeExactJson } from './exact-json.js';
import { statusOfReply } from './rest-status.js';
import type { DataItem, ErrorItem, OutboundFrame } from './types.js';

/** CORS headers of every REST answer: open, as the media routes are, and `Retry-After` readable. */
export const REST_CORS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after',
};

/** Writes one reply of `text` as JSON with its status (a fault may make it text that is not JSON). */
export const sendJsonText = (response: ServerResponse, status: number, text: string, extra: Readonly<Record<string, string>> = {}): void => {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    ...REST_CORS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...extra,
  });
  response.end(text);
};

/** Writes one JSON reply with its status; `Retry-After` when asked. */
export const sendJson = (response: ServerResponse, status: number, body: OutboundFrame, extra: Readonly<Record<string, string>> = {}): void =>
  sendJsonText(response, status, writeExactJson(body), extra);

/** Writes a reply body with the status it calls for (`rest-status.ts`), and `Retry-After` when that asks for it. */
export const sendReply = (response: ServerResponse, body: OutboundFrame): void => {
  const { status, retryAfter } = statusOfReply(body);
  sendJson(response, status, body, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
};

/** What the tasks of one REST request push, gathered into its one `{ data, errors }` body. */
export interface RestReply {
  push(frame: OutboundFrame): void;
  /** The body, once every task has answered; later pushes are dropped. */
  close(): OutboundFrame;
}

/** An empty reply; items are kept in the order they were pushed. */
export const createRestReply = (): RestReply => {
  const data: DataItem[] = [];
  const errors: ErrorItem[] = [];
  let closed = false;
  return {
    push(frame) {
      if (closed) return;
      // Loops, not spreads: a spread of a huge array can exceed the engine's argument limit.
      if (frame.data !== undefined) for (const item of frame.data) data.push(item);
      if (frame.errors !== undefined) for (const item of frame.errors) errors.push(item);
    },
    close() {
      closed = true;
      // `errors` only when there are some: clients (the cli) take any `errors` key as a failure.
      return errors.length > 0 ? { data, errors } : { data };
    },
  };
};
