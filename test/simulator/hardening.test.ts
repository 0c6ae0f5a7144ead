import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { openAuthenticated } from './support/raw-client.js';

/** Sends raw bytes over TCP and resolves with the status line of the answer (or '' if the socket closed silently). */
const rawRequest = async (port: number, head: string): Promise<string> => {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(head);
  let answer = '';
  socket.on('data', (chunk: Buffer) => {
    answer += chunk.toString('latin1');
    if (answer.includes('\r\n')) socket.end();
  });
  socket.on('error', () => {});
  await once(socket, 'close');
  return answer.split('\r\n')[0] ?? '';
};

const upgrade = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
const get = (path: string, method = 'GET') => `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

describe('simulator hardening: no request can crash it', () => {
  const harness = useSimulator();

  it.each([
    ['GET //', get('//'), /^HTTP\/1\.1 40[04]/],
    ['GET ///media/x', get('///media/x'), /^HTTP\/1\.1 40[04]/],
    ['GET /media/% (malformed percent-encoding)', get('/media/%'), /^HTTP\/1\.1 400/],
    ['GET /media/%E0%A4%A (truncated UTF-8)', get('/media/%E0%A4%A'), /^HTTP\/1\.1 400/],
    ['HEAD /media/%zz', get('/media/%zz', 'HEAD'), /^HTTP\/1\.1 400/],
    ['GET http://[bad/ (absolute form that is no URL)', get('http://[bad/'), /^HTTP\/1\.1 40[04]/],
    ['a WebSocket upgrade on //', upgrade('//'), /^HTTP\/1\.1 40[04]/],
    ['a WebSocket upgrade on //v1', upgrade('//v1'), /^HTTP\/1\.1 40[04]/],
    ['a WebSocket upgrade on /media/%', upgrade('/media/%'), /^HTTP\/1\.1 40[04]/],
  ])('answers %s with 400 or 404 and keeps serving', async (_name, head, status) => {
    const simulator = await harness.start({ media: false });
    expect(await rawRequest(simulator.port, head)).toMatch(status);
    // Still alive: HTTP and WebSocket both answer.
    expect((await fetch(`${simulator.httpUrl}/media/placeholder.png`)).status).toBe(200);
    const client = await openAuthenticated(simulator.url);
    await client.close();
  });
});
