import type { ServerResponse } from 'node:http';
import { writeExactJson } from './exact-json.js';
import type { DataItem, ErrorItem, OutboundFrame } from './types.js';

/**
 * A Server-Sent Events answer (protocol §10.4): `data: {json}` events, `:` comment lines as
 * keep-alives, `data: [DONE]` at the end of a stream that finished. The HTTP status and headers
 * leave with the first write, so a task refused before it streams still gets a JSON error reply
 * with its own status instead.
 */
export interface EventStream {
  /** True once anything was written: the reply is the stream's from then on. */
  readonly started: boolean;
  /** True while the client is still there and the stream has not ended. */
  readonly open: boolean;
  /** One `data:` event: a result or a delta (through `onEvent`, when given). */
  send(payload: DataItem): void;
  /** One `data:` event of a whole frame, past `onEvent` (a fault: a stray error). */
  sendFrame(frame: OutboundFrame): void;
  /** A comment line: a keep-alive that clients skip. */
  comment(text: string): void;
  /** `data: [DONE]`, then the end of the reply. */
  finish(): void;
  /**
   * An error event, then the end of the reply without `[DONE]` (a stream that did not finish).
   * The item goes under `errors` (ts-new) and `error` (py-legacy) alike, as §4.5 reports both.
   */
  fail(error: ErrorItem): void;
  /** Destroys the connection mid-stream, without `[DONE]` (a fault). */
  cut(): void;
  /** A `data:` line of text verbatim, not JSON (a fault: what a broken server might send). */
  sendText(text: string): void;
  /**
   * Holds everything written (the end included) until `resume()`, which lets it out in order: a
   * frozen exchange. The stream counts as started from its first write all the same.
   */
  pause(): void;
  resume(): void;
}

/**
 * Streams into an HTTP response. Writes after the end or after the client left are dropped, so
 * the task producing the events can run to its end without checking.
 *
 * @param response The reply to write to.
 * @param headers Headers beside the event-stream ones (CORS).
 * @param streams The registry it is listed in while under way.
 * @param onEvent Sees each `send` before it is written; `write()` writes it (the fault hooks).
 */
export const createEventStream = (
  response: ServerResponse,
  headers: Readonly<Record<string, string>>,
  streams?: OpenStreams,
  onEvent?: (payload: DataItem, write: () => void) => void,
): EventStream => {
  let started = false;
  let ended = false;
  /** What was written while paused, and whether the end came meanwhile. */
  let held: string[] | undefined;
  let endHeld = false;
  const flush = (text: string) => {
    if (response.destroyed) return;
    if (!response.headersSent) {
      response.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        // Proxies such as nginx otherwise hold the events back until the reply ends.
        'x-accel-buffering': 'no',
      });
    }
    response.write(text);
  };
  const write = (text: string) => {
    if (ended || response.destroyed) return;
    started = true;
    if (held === undefined) flush(text);
    else held.push(text);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    streams?.delete(stream);
    if (held !== undefined) endHeld = true;
    else if (!response.destroyed) response.end();
  };
  const stream: EventStream = {
    get started() {
      return started;
    },
    get open() {
      return !ended && !response.destroyed;
    },
    send(payload) {
      const event = () => write(`data: ${writeExactJson(payload)}\n\n`);
      if (onEvent === undefined) event();
      else onEvent(payload, event);
    },
    sendFrame: (frame) => write(`data: ${writeExactJson(frame)}\n\n`),
    comment: (text) => write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`),
    finish() {
      write('data: [DONE]\n\n');
      end();
    },
    fail(error) {
      stream.sendFrame({ errors: [error], error });
      end();
    },
    sendText: (text) => write(`data: ${text.replace(/[\r\n]+/g, ' ')}\n\n`),
    pause() {
      held ??= [];
    },
    resume() {
      const texts = held ?? [];
      held = undefined;
      for (const text of texts) flush(text);
      if (endHeld && !response.destroyed) response.end();
      endHeld = false;
    },
    cut() {
      if (ended) return;
      ended = true;
      streams?.delete(stream);
      response.destroy();
    },
  };
  streams?.add(stream);
  // A client that goes away ends the stream for the registry too.
  response.once('close', () => streams?.delete(stream));
  return stream;
};

/** The event streams under way, which a fault can cut. */
export type OpenStreams = Set<EventStream>;
