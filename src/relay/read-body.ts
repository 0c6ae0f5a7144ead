import type { IncomingMessage } from 'node:http';

/** A request's body: its text, or why there is none (larger than the limit, the peer went away, or someone read it first). */
export type Body = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'tooLarge' | 'aborted' | 'consumed' };

/**
 * Reads a request's body as UTF-8, up to `maxBytes`: past it, reading stops at once (nothing
 * more is held), so a page cannot make the relay keep more than a socket's frame may carry.
 *
 * @param request The request.
 * @param maxBytes The most bytes read.
 * @returns The body, or why there is none.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Body> {
  // Gone or read already (a body parser ahead of the relay): no event would ever come.
  if (request.readableEnded) return Promise.resolve({ ok: false, reason: 'consumed' });
  if (request.destroyed) return Promise.resolve({ ok: false, reason: 'aborted' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Body): void => {
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
  });
}
