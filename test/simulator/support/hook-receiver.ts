import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** One POST a receiver got. */
export interface ReceivedPost {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
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

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

/**
 * Starts a receiver for the current test, closed after it.
 *
 * @param answer How to answer the `n`th request; default 200 every time.
 * @returns The receiver.
 */
export const hookReceiver = async (answer: (n: number) => Answer = () => 200): Promise<HookReceiver> => {
  const posts: ReceivedPost[] = [];
  const waiters = new Set<() => void>();
  let closedHanging = 0;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
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
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const until = <T>(probe: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`receiver: ${what} not seen within ${timeoutMs} ms (posts so far: ${posts.length})`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}/hook?token=t`,
    posts,
    received: (count, timeoutMs = 15_000) => until(() => (posts.length >= count ? posts.slice(0, count) : undefined), timeoutMs, `${count} posts`),
    abandoned: () => until(() => (closedHanging > 0 ? true : undefined), 15_000, 'an abandoned request').then(() => undefined),
  };
};
