import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RunwareError, TaskTimeoutError, ValidationError } from 'runware-rx';
import type { RunwareErrorCode } from 'runware-rx';
import { httpFailureOf } from '../../examples/web-api/http-errors.js';
import { simulator } from '../support/simulator.js';
import { download, runExample, startExample } from './run-example.js';

/*
 * examples/web-api as users run it: a child process listening on a free port (--port 0), asked
 * with real HTTP requests (fetch over loopback), then stopped with SIGTERM. The status table
 * itself is checked in-process, code by code.
 */

const file = 'examples/web-api/main.ts';

async function startApi(env: Record<string, string> = {}, args: string[] = []) {
  const api = startExample(file, { env, args: ['--port', '0', ...args] });
  const [, address] = await api.line(/^web API at (http:\/\/127\.0\.0\.1:\d+\/)$/);
  const generate = async (body: unknown) => {
    const response = await fetch(`${address}generate-image`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };
  return { api, generate };
}

describe('examples/web-api', () => {
  it('answers POST /generate-image with { image_url }, refuses bad requests with 400, and closes cleanly on SIGTERM', async () => {
    const { api, generate } = await startApi();
    expect(api.lines[0]).toMatch(/^Using the embedded Runware simulator at /);

    const ok = await generate({ prompt: 'a lighthouse at dusk', width: 512, height: 384 });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body)).toEqual(['image_url']);
    expect(await sharp(await download(ok.body['image_url'] as string)).metadata()).toMatchObject({ format: 'jpeg', width: 512, height: 384 });

    // Refused by the route's schema (Fastify), by runware-rx's check (nothing sent), by the server.
    expect((await generate({ width: 512 })).status).toBe(400);
    const tooWide = await generate({ prompt: 'a lighthouse', width: 5000 });
    expect(tooWide).toMatchObject({ status: 400, body: { error: { code: 'validation' } } });
    expect((tooWide.body['error'] as { message: string }).message).toContain('width must be an integer from 64 to 4096 (got 5000)');
    const unknownModel = await generate({ prompt: 'a lighthouse', model: 'nonexistent:999@999' });
    expect(unknownModel).toMatchObject({ status: 400, body: { error: { code: 'notFound', taskUUID: expect.stringMatching(/^[0-9a-f-]{36}$/) } } });

    api.child.kill('SIGTERM');
    expect(await api.exited()).toBe(0);
    expect(api.lines.slice(-2)).toEqual(['SIGTERM: closing', 'closed']);
  });

  it('answers 504 when the image takes longer than its deadline, naming the task in the log', async () => {
    const sim = await simulator({ media: false, imageLatencyMs: 60_000 });
    const { api, generate } = await startApi({ RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-local-key' }, ['--timeout', '300']);
    const late = await generate({ prompt: 'a slow lighthouse', width: 512, height: 512 });
    expect(late).toMatchObject({ status: 504, body: { error: { code: 'timeout' } } });
    const taskUUID = (late.body['error'] as { taskUUID: string }).taskUUID;
    expect(sim.receivedTasks().some((task) => task['taskUUID'] === taskUUID)).toBe(true);
    expect(api.stderr()).toContain(`POST /generate-image failed with 504: timeout (${taskUUID})`);
  });

  it('answers 502 when Runware refuses its key after start-up, without telling the caller the upstream’s words', async () => {
    let keyValid = true;
    const sim = await simulator({ media: false, apiKey: () => keyValid });
    const { api, generate } = await startApi({ RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-key-revoked-later' });
    expect((await generate({ prompt: 'before', width: 512, height: 512 })).status).toBe(200);
    // The key is revoked and the connection lost: the client's next authentication is refused.
    keyValid = false;
    sim.faults.drop();
    const refused = await generate({ prompt: 'after', width: 512, height: 512 });
    expect(refused).toMatchObject({ status: 502, body: { error: { code: 'auth', message: 'The image service is misconfigured.' } } });
    expect(api.stderr()).toContain('POST /generate-image failed with 502: auth');
  });

  it('does not start when Runware refuses its key at start-up', async () => {
    const sim = await simulator({ media: false, apiKey: 'the-right-key-1234' });
    const { code, stdout, stderr } = await runExample(file, { args: ['--port', '0'], env: { RUNWARE_URL: sim.url, RUNWARE_API_KEY: 'a-wrong-key-5678' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Cannot connect to Runware, not starting: auth: /m);
    expect(stdout).not.toContain('web API at');
  });

  it('maps every runware-rx error code to a status: the caller’s mistakes 4xx, the upstream’s 5xx', () => {
    const statuses = Object.fromEntries(
      (['validation', 'notFound', 'safety', 'auth', 'quota', 'provider', 'serverError', 'protocol', 'rateLimit', 'connection', 'aborted', 'timeout', 'unknown'] as RunwareErrorCode[]).map((code) => [
        code,
        httpFailureOf(new RunwareError({ code, message: `a ${code} failure` })).status,
      ]),
    );
    expect(statuses).toEqual({ validation: 400, notFound: 400, safety: 422, auth: 502, quota: 502, provider: 502, serverError: 502, protocol: 502, rateLimit: 503, connection: 503, aborted: 503, timeout: 504, unknown: 500 });
    expect(httpFailureOf(new ValidationError('imageInference', [{ path: 'width', message: 'width is wrong' }])).status).toBe(400);
    expect(httpFailureOf(new TaskTimeoutError('total', 300)).status).toBe(504);
    expect(httpFailureOf(new RunwareError({ code: 'rateLimit', message: 'slow down' })).retryAfter).toBe(5);
    expect(httpFailureOf(new Error('a bug'))).toEqual({ status: 500, body: { error: { code: 'unknown', message: 'Internal error.' } } });
  });
});
