import type { IncomingHttpHeaders } from 'node:http';
import { loopbackHttp } from '../../support/loopback-http.js';
import { createWaiters } from '../../support/waiters.js';

/** One request a receiver got (a webhook's POST, an uploadEndpoint's PUT). */
export interface ReceivedPost {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as UTF-8 text (webhooks' JSON). */
  readonly body: string;
  /** The body as sent (uploads' file bytes, which UTF-8 text would garble). */
  readonly bytes: Buffer;
}

/** How the receiver answers its `n`th request (from 1): a status, or `'hang'` (never answers). */
export type Answer = number | 'hang';

/** A `node:http` webhook receiver on loopback, scripted per request, for the simulator's tests. */
export interface HookReceiver {
  /** e.g. `http://127.0.0.1:40123/hook?token=t`. */
  readonly url: string;
  readonly posts: ReceivedPost[];
  /** Resolves once `count` requests have arrived (bounded: rejects after `timeoutMs`). */
  received(count: number, timeoutMs?: number): Promise<ReceivedPost[]>;
  /** Resolves once a request left unanswered (`'hang'`) was closed by the client. */
  abandoned(): Promise<void>;
}

const serve = loopbackHttp();

/**
 * Starts a receiver for the current test, closed after it.
 *
 * @param answer How to answer the `n`th request; default 200 every time.
 * @returns The receiver.
 */
export const hookReceiver = async (answer: (n: number) => Answer = () => 200): Promise<HookReceiver> => {
  const posts: ReceivedPost[] = [];
  const { wake, until } = createWaiters();
  let closedHanging = 0;
  const origin = await serve((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const bytes = Buffer.concat(chunks);
      posts.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: bytes.toString('utf8'), bytes });
      const reply = answer(posts.length);
      if (reply === 'hang') {
        response.on('close', () => {
          closedHanging += 1;
          wake();
        });
      } else response.writeHead(reply).end();
      wake();
    });
  });
  const notSeen = (what: string, timeoutMs: number) => `receiver: ${what} not seen within ${timeoutMs} ms (posts so far: ${posts.length})`;
  return {
    url: `${origin}/hook?token=t`,
    posts,
    received: (count, timeoutMs = 15_000) => until(() => (posts.length >= count ? posts.slice(0, count) : undefined), timeoutMs, () => notSeen(`${count} posts`, timeoutMs)),
    abandoned: () => until(() => (closedHanging > 0 ? true : undefined), 15_000, () => notSeen('an abandoned request', 15_000)).then(() => undefined),
  };
};
