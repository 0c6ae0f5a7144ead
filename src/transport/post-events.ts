import { createParser } from 'eventsource-parser';

/** One HTTP POST whose answer may be a stream of Server-Sent Events. */
export interface EventPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What becomes of the POST, told as it happens. Nothing is told after `abort()`. */
export interface EventSink {
  /** The server answered with an event stream. */
  opened(): void;
  /** One event's `data` (its lines joined). */
  event(data: string): void;
  /** A comment line: the server's keep-alive. */
  comment(): void;
  /** The event stream ended: the server closed it. Told once fetch can use its connection again. */
  ended(): void;
  /** The server answered without a stream: its status, its body, and its `Retry-After` header if any. */
  answered(status: number, body: string, retryAfter: string | undefined): void;
  /** No answer could be read: the request or the stream failed (`fetch` missing, network, reset). */
  failed(cause: unknown): void;
}

const EVENT_STREAM = /^text\/event-stream\b/i;

/**
 * Runs a step on the turn after this one, where the platform has one (Node's `setImmediate`).
 * Node's fetch (undici) puts a kept-alive connection back into its pool on a `setImmediate` of
 * its own, scheduled as the body ends and before the reader hears it; a step queued after it runs
 * once the connection is free. Elsewhere (a browser's pool is its own) the step runs at once.
 */
const afterPool = (step: () => void): void => {
  const { setImmediate: immediate } = globalThis as { setImmediate?: (step: () => void) => unknown };
  if (typeof immediate === 'function') immediate(step);
  else step();
};

/**
 * POSTs with the platform's `fetch` (browsers, Node 18+) and reads the answer: an event stream
 * event by event as it arrives (parsed by `eventsource-parser`), any other answer whole.
 *
 * @param post The request.
 * @param sink Who is told.
 * @returns Stops the request and the reading; the sink hears nothing more.
 */
export function postForEvents(post: EventPost, sink: EventSink): () => void {
  const controller = new AbortController();
  let stopped = false;
  const fail = (cause: unknown): void => {
    if (!stopped) sink.failed(cause);
  };
  const read = async (): Promise<void> => {
    if (typeof fetch !== 'function') throw new TypeError('this runtime has no fetch');
    const response = await fetch(post.url, { method: 'POST', headers: post.headers, body: post.body, signal: controller.signal });
    if (stopped) return;
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !EVENT_STREAM.test(type) || response.body === null) {
      const text = await response.text();
      // Told once the connection is back in the pool, so that what follows (a retry, the next task) reuses it.
      afterPool(() => {
        if (!stopped) sink.answered(response.status, text, response.headers.get('retry-after') ?? undefined);
      });
      return;
    }
    sink.opened();
    const parser = createParser({
      onEvent: ({ data }) => {
        if (!stopped) sink.event(data);
      },
      onComment: () => {
        if (!stopped) sink.comment();
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (stopped) return;
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode());
    // Told once the connection is back in the pool: a stream started on the result reuses it.
    afterPool(() => {
      if (!stopped) sink.ended();
    });
  };
  read().catch(fail);
  return () => {
    if (stopped) return;
    stopped = true;
    controller.abort();
  };
}
