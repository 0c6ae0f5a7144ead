import type { IncomingMessage } from 'node:http';

/**
 * The largest REST body read, in bytes: the WebSocket's own limit (the `ws` default, 100 MiB), so
 * a task that fits one transport fits the other.
 */
export const MAX_REST_BODY_BYTES = 100 * 1024 * 1024;

/** A request body read whole, or the reason it was not. */
export type RestBody = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'tooLarge' | 'aborted' };

/**
 * Reads a request body as UTF-8 text, at most `maxBytes`. Past the limit it stops keeping the
 * bytes and resolves at once, so the caller can refuse the request without waiting for the rest.
 *
 * @param request The request.
 * @param maxBytes The limit.
 * @returns The text, or why there is none.
 */
export const readBody = (request: IncomingMessage, maxBytes = MAX_REST_BODY_BYTES): Promise<RestBody> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        request.off('data', onData);
        chunks.length = 0;
        resolve({ ok: false, reason: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    request.on('aborted', () => resolve({ ok: false, reason: 'aborted' }));
    request.on('error', () => resolve({ ok: false, reason: 'aborted' }));
  });
