import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { imageTask, pollUntil, taskUUID, videoTask } from './support/raw-client.js';
import { post, pollRest, postRaw } from './support/rest-client.js';

const BAD_KEY = { code: 'invalidApiKey', message: expect.any(String), parameter: 'apiKey', type: 'string', taskType: 'authentication' };

describe('simulator: REST transport (POST /v1)', () => {
  const harness = useSimulator();

  it('answers a sync imageInference in one { data } body, with CORS, once its image is ready', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const task = imageTask({ seed: 7, includeCost: true });
    const { status, headers, body } = await post(httpUrl, [task]);
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toEqual({
      data: [{ taskType: 'imageInference', taskUUID: task['taskUUID'], imageUUID: expect.any(String), imageURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media\//), seed: 7, cost: expect.any(Number) }],
    });
    expect((await fetch(String(body.data![0]!['imageURL']))).status).toBe(200);
  });

  it('holds the request until all numberResults items are ready, in the realistic profile too', async () => {
    const { httpUrl } = await harness.start({ media: false, profile: 'realistic' });
    const task = imageTask({ numberResults: 3, seed: 100 });
    const { status, body } = await post(httpUrl, [task]);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toHaveLength(3);
    expect(new Set(body.data!.map((item) => item['imageUUID'])).size).toBe(3);
    expect(body.data!.map((item) => item['seed']).sort()).toEqual([100, 101, 102]);
  });

  it('authenticates by an authentication element first in the array instead of the Bearer header', async () => {
    const { httpUrl } = await harness.start({ media: false, apiKey: 'right' });
    const task = imageTask();
    const { status, body } = await post(httpUrl, [{ taskType: 'authentication', apiKey: 'right' }, task], { key: null });
    expect(status).toBe(200);
    // No session on REST: the authentication element has no item of its own in the reply.
    expect(body.data).toEqual([expect.objectContaining({ taskType: 'imageInference', taskUUID: task['taskUUID'] })]);
    expect((await post(httpUrl, [imageTask()], { key: 'right' })).status).toBe(200);
  });

  it('answers 401 with the API error for a wrong key (header or element) and for none, and runs nothing', async () => {
    const simulator = await harness.start({ media: false, apiKey: 'right' });
    const { httpUrl } = simulator;
    const wrongHeader = await post(httpUrl, [imageTask()], { key: 'wrong' });
    expect(wrongHeader.status).toBe(401);
    expect(wrongHeader.body).toEqual({ errors: [BAD_KEY], error: BAD_KEY });
    const wrongElement = await post(httpUrl, [{ taskType: 'authentication', apiKey: 'wrong' }, imageTask()], { key: null });
    expect(wrongElement.status).toBe(401);
    expect(wrongElement.body.errors).toEqual([BAD_KEY]);
    // Both given: both must be right.
    expect((await post(httpUrl, [{ taskType: 'authentication', apiKey: 'wrong' }, imageTask()], { key: 'right' })).status).toBe(401);
    const none = await post(httpUrl, [imageTask()], { key: null });
    expect(none.status).toBe(401);
    expect(none.body.errors).toEqual([expect.objectContaining({ code: 'missingApiKey', taskType: 'authentication' })]);
    expect(simulator.stats().tasksStarted).toEqual({});
  });

  it('acknowledges an async videoInference and reports it through getResponse polled over HTTP', async () => {
    const { httpUrl } = await harness.start({ media: false, videoReadyAfterMs: 200 });
    const task = videoTask({ numberResults: 2 });
    const id = String(task['taskUUID']);
    const ack = await post(httpUrl, [task]);
    expect(ack).toMatchObject({ status: 200, body: { data: [{ taskType: 'videoInference', taskUUID: id }] } });
    const polls = await pollRest(httpUrl, id, ({ body }) => body.data?.every((item) => item['status'] === 'success') === true);
    expect(polls[0]!.body.data).toEqual([
      expect.objectContaining({ taskType: 'videoInference', taskUUID: id, status: 'processing' }),
      expect.objectContaining({ taskType: 'videoInference', taskUUID: id, status: 'processing' }),
    ]);
    const last = polls.at(-1)!;
    expect(last.status).toBe(200);
    expect(last.body.data).toEqual([
      expect.objectContaining({ status: 'success', videoUUID: expect.any(String), videoURL: expect.any(String) }),
      expect.objectContaining({ status: 'success', videoUUID: expect.any(String), videoURL: expect.any(String) }),
    ]);
  });

  it('answers a mixed array in one 200 body: results in data, each refused task in errors with its taskUUID', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const good = imageTask();
    const bad = imageTask({ width: 100 });
    const unknown = { taskType: 'teleport', taskUUID: taskUUID() };
    const { status, body } = await post(httpUrl, [good, bad, unknown, 'not a task']);
    expect(status).toBe(200);
    expect(body.data).toEqual([expect.objectContaining({ taskUUID: good['taskUUID'], imageURL: expect.any(String) })]);
    expect(body.errors).toEqual([
      expect.objectContaining({ code: 'invalidWidth', parameter: 'width', taskUUID: bad['taskUUID'] }),
      expect.objectContaining({ code: 'unsupportedTaskType', taskUUID: unknown.taskUUID }),
      expect.objectContaining({ code: 'invalidPayload' }),
    ]);
  });

  it('reports a failed sync generation beside its sibling as status "error", still a 200', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.failNextItems(1);
    const task = imageTask({ numberResults: 2, seed: 5 });
    const { status, body } = await post(simulator.httpUrl, [task]);
    expect(status).toBe(200);
    expect(body.errors).toEqual([expect.objectContaining({ code: 'timeoutProvider', status: 'error', taskUUID: task['taskUUID'] })]);
    expect(body.data).toEqual([expect.objectContaining({ seed: 6 })]);
  });

  it('answers refusals alone with their HTTP status: 400 validation and bad bodies, 404 unknown task, 405 other methods', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const invalid = await post(httpUrl, [imageTask({ steps: 0 })]);
    expect(invalid).toMatchObject({ status: 400, body: { errors: [{ code: 'invalidSteps' }] } });
    expect(invalid.body.data).toEqual([]);
    expect(await post(httpUrl, '{"taskType":')).toMatchObject({ status: 400, body: { errors: [{ code: 'invalidJSON' }] } });
    expect(await post(httpUrl, '{"taskType":"imageInference"}')).toMatchObject({ status: 400, body: { errors: [{ code: 'invalidPayload' }] } });
    expect(await post(httpUrl, [{ taskType: 'getResponse', taskUUID: taskUUID() }])).toMatchObject({ status: 404, body: { errors: [{ code: 'taskNotFound' }] } });
    const get = await fetch(`${httpUrl}/v1`);
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ errors: [expect.objectContaining({ code: 'invalidPayload' })] });
    expect(await post(httpUrl, [])).toEqual(expect.objectContaining({ status: 200, body: { data: [] } }));
  });

  it('answers a rate-limit refusal 429 with Retry-After and a server error 500, as the fault injection makes them', async () => {
    const simulator = await harness.start({ media: false });
    simulator.faults.rateLimitBurst(1);
    const limited = await post(simulator.httpUrl, [imageTask()]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.errors).toEqual([expect.objectContaining({ code: 'rateLimitExceeded' })]);
    simulator.faults.serverErrorBurst(1);
    expect(await post(simulator.httpUrl, [imageTask()])).toMatchObject({ status: 500, body: { errors: [{ code: 'internalServerError' }] } });
    expect((await post(simulator.httpUrl, [imageTask()])).status).toBe(200);
  });

  it('allows browser clients: the preflight admits Authorization and Content-Type on POST', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const preflight = await fetch(`${httpUrl}/v1`, { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('shares one task store with the WebSocket: a REST task is polled on a socket, and its taskUUID is taken there', async () => {
    const { httpUrl } = await harness.start({ media: false, videoReadyAfterMs: 100 });
    const task = videoTask();
    const id = String(task['taskUUID']);
    expect((await post(httpUrl, [task])).status).toBe(200);
    const client = await harness.authed();
    const replies = await pollUntil(client, id, (reply) => reply.data?.[0]?.['status'] === 'success');
    expect(replies.at(-1)!.data).toEqual([expect.objectContaining({ taskUUID: id, status: 'success' })]);
    client.send([task]);
    expect((await client.results(id, replies.length + 1)).errors).toEqual([expect.objectContaining({ code: 'conflictTaskUUID' })]);
    const socketTask = imageTask();
    client.send([socketTask]);
    await client.results(String(socketTask['taskUUID']));
    expect(await post(httpUrl, [socketTask])).toMatchObject({ status: 400, body: { errors: [{ code: 'conflictTaskUUID' }] } });
  });

  it('prices without running on a dry run (X-Runware-Dry-Run: 1)', async () => {
    const simulator = await harness.start({ media: false });
    const task = imageTask({ numberResults: 2 });
    const { status, body } = await post(simulator.httpUrl, [task], { headers: { 'x-runware-dry-run': '1' } });
    expect(status).toBe(200);
    expect(body.data).toEqual([{ taskType: 'imageInference', taskUUID: task['taskUUID'], cost: expect.any(Number) }]);
    expect(simulator.stats().tasksStarted).toEqual({});
  });

  it('survives a client that leaves mid-request: its task still runs to its end, and the request beside it is answered', async () => {
    const simulator = await harness.start({ media: false, imageLatencyMs: 300 });
    const leaving = new AbortController();
    const abandonedTask = imageTask();
    const abandoned = postRaw(simulator.httpUrl, [abandonedTask], { signal: leaving.signal }).catch((error: unknown) => error);
    const staying = post(simulator.httpUrl, [imageTask()]);
    for (let attempt = 0; attempt < 500 && simulator.stats().tasksStarted['imageInference'] !== 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    leaving.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    expect((await staying).body.data).toEqual([expect.objectContaining({ imageURL: expect.any(String) })]);
    const polls = await pollRest(simulator.httpUrl, String(abandonedTask['taskUUID']), ({ body }) => body.data?.[0]?.['status'] === 'success');
    expect(polls.at(-1)!.body.data).toEqual([expect.objectContaining({ status: 'success', imageURL: expect.any(String) })]);
  });

  it('refuses a body past the size limit with 413, and never a body that is not JSON', async () => {
    const { httpUrl } = await harness.start({ media: false });
    const response = await postRaw(httpUrl, `["${'x'.repeat(100 * 1024 * 1024)}"]`);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [expect.objectContaining({ code: 'invalidPayload' })] });
  });
});
