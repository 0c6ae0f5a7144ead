import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';

/** What a browser sends before a cross-origin fetch of a media URL with a header such as Range. */
const preflight = { origin: 'http://demo.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' };

describe('simulator media URLs from a page on another origin', () => {
  const harness = useSimulator();

  it('answers the CORS preflight of a /media/ URL, allowing GET with a Range header', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const response = await fetch(`${httpUrl}/media/placeholder.png`, { method: 'OPTIONS', headers: preflight });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    expect(response.headers.get('access-control-allow-headers')).toContain('range');
  });

  it('lets such a page read a 404 for media that is gone (CORS headers on the error too)', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const response = await fetch(`${httpUrl}/media/deleted-long-ago.png`);
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers another method on a media URL with 405 and the methods allowed', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const response = await fetch(`${httpUrl}/media/placeholder.png`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
