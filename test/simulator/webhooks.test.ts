import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { hookReceiver } from './support/hook-receiver.js';
import { allSucceeded, imageTask, pollUntil, taskUUID, videoTask } from './support/raw-client.js';

/** A LoRA upload whose download the simulator treats as made. */
const modelUploadTask = () => ({ taskType: 'modelUpload', taskUUID: taskUUID(), category: 'lora', architecture: 'flux1d', format: 'safetensors', air: 'runware:778@1', name: 'Hooked style', version: '1', downloadURL: 'https://example.com/hooked.safetensors' });

const bodies = (posts: readonly { body: string }[]) => posts.map((post) => JSON.parse(post.body) as Record<string, unknown>);

describe('simulator: webhooks (protocol §5.7, §10.5)', () => {
  const harness = useSimulator();

  it('acks a sync image task sent with webhookURL, POSTs each result as a flat JSON item, and keeps them for getResponse', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = imageTask({ numberResults: 2, seed: 5, webhookURL: receiver.url });
    const id = String(task['taskUUID']);
    client.send([task]);

    expect((await client.results(id)).data).toEqual([{ taskType: 'imageInference', taskUUID: id }]);
    const posts = await receiver.received(2);
    await harness.simulator.webhooks.idle();
    for (const post of posts) {
      expect(post.path).toBe('/hook?token=t');
      expect(post.headers['content-type']).toBe('application/json');
    }
    const items = bodies(posts);
    expect(items.map((item) => item['seed']).sort()).toEqual([5, 6]);
    for (const item of items) {
      expect(item).toEqual({ status: 'success', taskType: 'imageInference', taskUUID: id, imageUUID: expect.any(String), imageURL: expect.stringMatching(/^http:/), seed: expect.any(Number) });
    }
    expect(new Set(items.map((item) => item['imageUUID'])).size).toBe(2);
    // Nothing but the ack went to the socket.
    expect(client.itemsFor(id)).toEqual({ data: [{ taskType: 'imageInference', taskUUID: id }], errors: [] });

    const [reply] = await pollUntil(client, id, allSucceeded(2));
    expect(reply!.data!.map((item) => item['imageUUID']).sort()).toEqual(items.map((item) => item['imageUUID']).sort());
    expect(harness.simulator.webhooks.deliveries()).toEqual(
      items.map(() => ({ url: receiver.url, taskType: 'imageInference', taskUUID: id, body: expect.any(String), state: 'delivered', attempts: [200] })),
    );
  });

  it('POSTs a video once it is ready', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = videoTask({ webhookURL: receiver.url, includeCost: true });
    const id = String(task['taskUUID']);
    client.send([task]);
    expect((await client.results(id)).data).toEqual([{ taskType: 'videoInference', taskUUID: id }]);
    const [item] = bodies(await receiver.received(1));
    expect(item).toEqual({ status: 'success', taskType: 'videoInference', taskUUID: id, videoUUID: expect.any(String), videoURL: expect.stringMatching(/\.mp4$/), seed: expect.any(Number), cost: expect.any(Number) });
    const [reply] = await pollUntil(client, id, allSucceeded(1));
    expect(reply!.data![0]!['videoUUID']).toBe(item!['videoUUID']);
  });

  it('POSTs a failed generation as a flat error item with status "error"', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    harness.simulator.faults.failNextItems(1, 'timeoutProvider');
    const task = imageTask({ webhookURL: receiver.url });
    client.send([task]);
    const [item] = bodies(await receiver.received(1));
    expect(item).toEqual(expect.objectContaining({ status: 'error', code: 'timeoutProvider', taskType: 'imageInference', taskUUID: task['taskUUID'], message: expect.any(String) }));
  });

  it('POSTs every modelUpload phase the socket would report, each the flat item, after an ack on the socket', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = { ...modelUploadTask(), webhookURL: receiver.url };
    client.send([task]);

    expect((await client.results(task.taskUUID)).data).toEqual([{ taskType: 'modelUpload', taskUUID: task.taskUUID }]);
    const items = bodies(await receiver.received(5));
    expect(items.map((item) => item['status'])).toEqual(['validated', 'downloaded', 'optimized', 'stored', 'ready']);
    for (const item of items) expect(item).toEqual({ taskType: 'modelUpload', taskUUID: task.taskUUID, status: item['status'], message: expect.any(String), air: 'runware:778@1' });
    await harness.simulator.webhooks.idle();
    // Nothing but the ack went to the socket; getResponse still finds the upload ready.
    expect(client.itemsFor(task.taskUUID)).toEqual({ data: [{ taskType: 'modelUpload', taskUUID: task.taskUUID }], errors: [] });
    const replies = await pollUntil(client, task.taskUUID, (reply) => reply.data?.[0]?.['status'] === 'ready', { intervalMs: 10 });
    expect(replies.at(-1)!.data![0]).toMatchObject({ status: 'ready', air: 'runware:778@1' });
  });

  it('POSTs a modelUpload whose download fails as validated, then a flat downloadFailed error item', async () => {
    await harness.start({ media: false, videoReadyAfterMs: 50 });
    const receiver = await hookReceiver();
    const client = await harness.authed();
    const task = { ...modelUploadTask(), downloadURL: 'https://models.invalid/missing.safetensors', webhookURL: receiver.url };
    client.send([task]);
    const [validated, failed] = bodies(await receiver.received(2));
    expect(validated).toMatchObject({ status: 'validated', taskUUID: task.taskUUID });
    expect(failed).toEqual(expect.objectContaining({ status: 'error', code: 'downloadFailed', parameter: 'downloadURL', taskType: 'modelUpload', taskUUID: task.taskUUID }));
    await harness.simulator.webhooks.idle();
    expect(receiver.posts).toHaveLength(2);
  });

  it('tries again, with the same body, after a 500', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver((n) => (n === 1 ? 500 : 204));
    const client = await harness.authed();
    client.send([imageTask({ webhookURL: receiver.url })]);
    const [first, second] = await receiver.received(2);
    expect(second!.body).toBe(first!.body);
    await harness.simulator.webhooks.idle();
    expect(harness.simulator.webhooks.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'delivered', attempts: [500, 204] }]);
  });

  it('abandons an attempt left unanswered past the timeout, and tries again', async () => {
    await harness.start({ media: false, webhooks: { timeoutMs: 200 } });
    const receiver = await hookReceiver((n) => (n === 1 ? 'hang' : 200));
    const client = await harness.authed();
    client.send([imageTask({ webhookURL: receiver.url })]);
    await receiver.abandoned();
    await receiver.received(2);
    await harness.simulator.webhooks.idle();
    expect(harness.simulator.webhooks.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'delivered', attempts: ['timeout', 200] }]);
  });

  it('gives up after its bound of attempts, and sends no more', async () => {
    const lines: string[] = [];
    await harness.start({ media: false, webhooks: { attempts: 3, initialDelayMs: 10 }, log: (line) => lines.push(line) });
    const receiver = await hookReceiver(() => 503);
    const client = await harness.authed();
    client.send([imageTask({ webhookURL: receiver.url })]);
    await receiver.received(3);
    await harness.simulator.webhooks.idle();
    expect(harness.simulator.webhooks.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'failed', attempts: [503, 503, 503] }]);
    // Settled means no retry is scheduled: a fourth POST cannot come.
    expect(receiver.posts).toHaveLength(3);
    expect(lines.some((line) => line.includes('gave up after 3 attempts'))).toBe(true);
  });

  it('counts a refused connection as a failed attempt', async () => {
    await harness.start({ media: false, webhooks: { attempts: 2, initialDelayMs: 10 } });
    const client = await harness.authed();
    // A port that was just free: a server bound it, then closed, so a connection to it is refused.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    client.send([imageTask({ webhookURL: `http://127.0.0.1:${port}/hook` })]);
    await client.until(() => (harness.simulator.webhooks.deliveries().length > 0 ? true : undefined));
    await harness.simulator.webhooks.idle();
    expect(harness.simulator.webhooks.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'failed', attempts: ['network', 'network'] }]);
  });

  it('stops at close(): the request in flight is aborted and the delivery cancelled', async () => {
    await harness.start({ media: false });
    const receiver = await hookReceiver(() => 'hang');
    const client = await harness.authed();
    client.send([imageTask({ webhookURL: receiver.url })]);
    await receiver.received(1);
    const { webhooks } = harness.simulator;
    await harness.simulator.close();
    await receiver.abandoned();
    await webhooks.idle();
    expect(webhooks.deliveries().map(({ state, attempts }) => ({ state, attempts }))).toEqual([{ state: 'cancelled', attempts: [] }]);
  });

  it.each([['ftp://example.com/hook'], ['/relative/hook'], [42]])('refuses webhookURL %j with invalidWebhookURL, and runs nothing', async (webhookURL) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const task = imageTask({ webhookURL });
    const id = String(task['taskUUID']);
    client.send([task]);
    const { data, errors } = await client.results(id);
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code: 'invalidWebhookURL', parameter: 'webhookURL', taskUUID: id })]);
    expect(harness.simulator.webhooks.deliveries()).toEqual([]);
  });
});
