import type { ServerResponse } from 'node:http';
import { statusOfReply } from './rest-status.js';
import type { DataItem, ErrorItem, OutboundFrame } from './types.js';

/** CORS headers of every REST answer: open, as the media routes are, and `Retry-After` readable. */
export const REST_CORS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after',
};

/** Writes one JSON reply with its status; `Retry-After` when asked. */
export const sendJson = (response: ServerResponse, status: number, body: OutboundFrame, extra: Readonly<Record<string, string>> = {}): void => {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...REST_CORS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...extra,
  });
  response.end(text);
};

/** What the tasks of one REST request push, gathered into its one `{ data, errors }` body. */
export interface RestReply {
  push(frame: OutboundFrame): void;
  /** Writes the body with the status it calls for (`rest-status.ts`); later pushes are dropped. */
  send(response: ServerResponse): void;
}

/** An empty reply; items are kept in the order they were pushed. */
export const createRestReply = (): RestReply => {
  const data: DataItem[] = [];
  const errors: ErrorItem[] = [];
  let sent = false;
  return {
    push(frame) {
      if (sent) return;
      // Loops, not spreads: a spread of a huge array can exceed the engine's argument limit.
      if (frame.data !== undefined) for (const item of frame.data) data.push(item);
      if (frame.errors !== undefined) for (const item of frame.errors) errors.push(item);
    },
    send(response) {
      sent = true;
      // `errors` only when there are some: clients (the cli) take any `errors` key as a failure.
      const body: OutboundFrame = errors.length > 0 ? { data, errors } : { data };
      const { status, retryAfter } = statusOfReply(body);
      sendJson(response, status, body, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
    },
  };
};
