import type { IncomingMessage } from 'node:http';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';

/** A request's body: its text, or why there is none (larger than the limit, not whole in time, the peer went away, or someone read it first). */
export type Body = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'tooLarge' | 'timedOut' | 'aborted' | 'consumed' };

/**
 * Reads a request's body as UTF-8, up to `maxBytes`: past it, reading stops at once (nothing
 * more is held), so a page cannot make the relay keep more than a socket's frame may carry.
 * A body not whole within `timeoutMs` is given up too, as a socket that sends no whole frame
 * for its idle time is closed: a page that trickles a body would otherwise hold the connection
 * and up to `maxBytes` for as long as it likes (servers such as Fastify set no request timeout).
 *
 * @param request The request.
 * @param maxBytes The most bytes read.
 * @param timeoutMs How long the whole body may take (`Infinity`: no limit).
 * @returns The body, or why there is none.
 */
export function readBody(request: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Body> {
  // Gone or read already (a body parser ahead of the relay): no event would ever come.
  if (request.readableEnded) return Promise.resolve({ ok: false, reason: 'consumed' });
  if (request.destroyed) return Promise.resolve({ ok: false, reason: 'aborted' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: Subscription | undefined;
    const done = (body: Body): void => {
      timer?.unsubscribe();
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        request.pause();
        done({ ok: false, reason: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => done({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    const onClose = (): void => done({ ok: false, reason: 'aborted' });
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('close', onClose);
    if (timeoutMs !== Infinity) {
      timer = asyncScheduler.schedule(() => {
        request.pause();
        done({ ok: false, reason: 'timedOut' });
      }, timeoutMs);
    }
  });
}
