import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

describe('simulator: HTTP side', () => {
  const harness = useSimulator();

  it('serves placeholders with ranges, and 404s unknown media', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const full = await fetch(`${httpUrl}/media/placeholder.png`);
    expect(full.headers.get('content-type')).toBe('image/png');
    expect(full.headers.get('access-control-allow-origin')).toBe('*');
    const size = (await full.arrayBuffer()).byteLength;
    const tail = await fetch(`${httpUrl}/media/placeholder.png`, { headers: { range: 'bytes=-4' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 4}-${size - 1}/${size}`);
    expect((await fetch(`${httpUrl}/media/placeholder.png`, { headers: { range: `bytes=${size}-` } })).status).toBe(416);
    expect((await fetch(`${httpUrl}/media/nothing-here.png`)).status).toBe(404);
  });

  it('accepts WebSocket upgrades on /v1 and on / (query strings allowed), nowhere else', async () => {
    const { url, httpUrl } = await harness.start({ media: false });
    const withQuery = new WebSocket(`${url}?sdk=js&version=1.3.2`);
    await new Promise((resolve, reject) => withQuery.once('open', resolve).once('error', reject));
    withQuery.close();
    // The legacy SDKs' test URL, ws://localhost:8080, has no path at all (protocol §10.3).
    for (const bare of [httpUrl.replace('http', 'ws'), `${httpUrl.replace('http', 'ws')}/?sdk=js`]) {
      const socket = new WebSocket(bare);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.close();
    }
    const wrong = new WebSocket(`${httpUrl.replace('http', 'ws')}/v2`);
    await expect(new Promise((resolve, reject) => wrong.once('open', resolve).once('error', reject))).rejects.toThrow(/404/);
  });
});
