import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaStore } from './media/media-store.js';
import { decodeSegment } from './request-path.js';

const parseRange = (header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined => {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'invalid';
  const start = from === '' ? Math.max(0, size - Number(to)) : Number(from);
  const end = from === '' || to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return start > end || start >= size ? 'invalid' : { start, end };
};

/**
 * Serves one generated file from memory, with a single-range `Range` answer (206) so that
 * browsers, Safari in particular, can stream and seek the MP4s. CORS is open so a demo page on
 * another origin can fetch the media too.
 */
export const serveMedia = (store: MediaStore, encodedName: string, request: IncomingMessage, response: ServerResponse): void => {
  // On errors too, so that a page on another origin can read the status (a 404 after a delete).
  const fail = (status: number, text: string, extra: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'text/plain', 'access-control-allow-origin': '*', ...extra });
    response.end(text);
  };
  const name = decodeSegment(encodedName);
  if (name === undefined) return fail(400, 'Bad request: malformed percent-encoding in the media name\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, 'Method not allowed\n', { allow: 'GET, HEAD, OPTIONS' });
  const file = store.get(name);
  if (file === undefined) return fail(404, 'Not found\n');
  const size = file.bytes.byteLength;
  const headers = {
    'content-type': file.mime,
    'accept-ranges': 'bytes',
    'cache-control': 'public, max-age=3600, immutable',
    'access-control-allow-origin': '*',
  };
  const range = parseRange(request.headers.range, size);
  if (range === 'invalid') {
    response.writeHead(416, { ...headers, 'content-range': `bytes */${size}` });
    response.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  response.writeHead(range === undefined ? 200 : 206, {
    ...headers,
    'content-length': String(end - start + 1),
    ...(range === undefined ? {} : { 'content-range': `bytes ${start}-${end}/${size}` }),
  });
  if (request.method === 'HEAD') response.end();
  else response.end(file.bytes.subarray(start, end + 1));
};
