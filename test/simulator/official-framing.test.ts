import { RunwareServer } from '@runware/sdk-js';
import { afterEach, describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { taskUUID } from './support/raw-client.js';

/**
 * What the simulator's framing does to the official clients when several replies are ready in
 * one event-loop turn. sdk-js 1.3.2 hands a listener the frame's whole `data` array and
 * `errors[0]` (Runware-base.ts:386, 391) and drops any frame holding a pong (Runware-base.ts:340),
 * so in every profile a pong leaves alone and tasks never share a frame (`default` batches what
 * one task has in a turn, `realistic` sends one frame per reply). Both SDK calls of a pair are
 * written in one synchronous turn and the simulator runs in this process, so they are read in one
 * turn: the batching is deterministic.
 */

describe.each(['default', 'realistic'] as const)('framing vs the official clients, profile "%s"', (profile) => {
  const harness = useSimulator();
  const clients: RunwareServer[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });
  /** An SDK client that gives up after 1.5 s and does not retry, so a lost reply shows as a rejection. */
  const connect = async () => {
    const simulator = await harness.start({ profile, media: false });
    const runware = new RunwareServer({ apiKey: 'k', url: simulator.url, shouldReconnect: false, timeoutDuration: 1500, globalMaxRetries: 1 });
    clients.push(runware);
    await runware.ensureConnection();
    return { simulator, runware };
  };
  /** Sends a frame on the SDK's own socket, as its heartbeat timer does. */
  const rawSend = (runware: RunwareServer, tasks: unknown[]) => (runware as unknown as { _ws: { send(text: string): void } })._ws.send(JSON.stringify(tasks));

  it('a pong is a frame of its own (protocol §3.1), never merged with task replies', async () => {
    await harness.start({ profile, media: false });
    const client = await harness.authed();
    const id = taskUUID();
    client.send([{ taskType: 'promptEnhance', taskUUID: id, prompt: 'a cat' }, { taskType: 'ping', ping: true }]);
    await client.until(() => client.itemsFor(id).data.length > 0 || undefined);
    const withPong = client.frames.find((frame) => frame.data?.some((item) => item['pong'] === true));
    // py-legacy reads the pong at data[0]; sdk-js drops a frame that holds one.
    expect(withPong?.data).toEqual([{ taskType: 'ping', pong: true }]);
  });

  it('sdk-js: a heartbeat ping answered in the turn of a result does not lose the result', async () => {
    const { runware } = await connect();
    const versions = runware.promptEnhance({ prompt: 'a cat' });
    rawSend(runware, [{ taskType: 'ping', ping: true }]);
    // Default profile today: "Response could not be received from server for enhance-prompt".
    await expect(versions).resolves.toHaveLength(1);
  });

  it('sdk-js: two calls refused in one turn each reject with their own error', async () => {
    const { runware } = await connect();
    const [upscale, enhance] = await Promise.allSettled([
      runware.upscale({ inputImage: 'https://example.com/a.png', upscaleFactor: 9 } as never),
      runware.promptEnhance({ prompt: '' } as never),
    ]);
    // Default profile today: the upscale rejects with the promptEnhance's invalidPromptLength.
    expect(upscale).toMatchObject({ status: 'rejected', reason: { error: { code: 'invalidUpscaleFactor', taskType: 'upscale' } } });
    expect(enhance).toMatchObject({ status: 'rejected', reason: { error: { code: 'invalidPromptLength', taskType: 'promptEnhance' } } });
  });

  it('sdk-js: two image requests refused in one turn both reject, neither hangs', async () => {
    const { runware } = await connect();
    const [narrow, unknown] = await Promise.allSettled([
      runware.requestImages({ positivePrompt: 'aa', model: 'runware:101@1', width: 100, height: 128 }),
      runware.requestImages({ positivePrompt: 'bb', model: 'nonexistent:9@9', width: 128, height: 128 }),
    ]);
    expect(narrow).toMatchObject({ status: 'rejected', reason: { error: { code: 'invalidWidth' } } });
    // Default profile today: "Response could not be received from server for getting images".
    expect(unknown).toMatchObject({ status: 'rejected', reason: { error: { code: 'modelNotFound' } } });
  });

  it('sdk-js: two promptEnhance calls answered in one turn get promptVersions texts each, no duplicates', async () => {
    const { runware } = await connect();
    const [dog, fish] = await Promise.all([runware.promptEnhance({ prompt: 'a dog', promptVersions: 2 }), runware.promptEnhance({ prompt: 'a fish', promptVersions: 2 })]);
    // Default profile today: four texts each, every text twice.
    expect(dog.map((version) => version.text)).toEqual([expect.stringMatching(/^a dog/), expect.stringMatching(/^a dog/)]);
    expect(new Set(fish.map((version) => version.text)).size).toBe(2);
    expect(fish).toHaveLength(2);
  });

  it('sdk-js: concurrent image requests that succeed each get their own images (routing by taskUUID holds)', async () => {
    const { runware } = await connect();
    const batches = await Promise.all(
      ['a red kite', 'a blue kite', 'a green kite'].map((positivePrompt, index) => runware.requestImages({ positivePrompt, model: 'runware:101@1', width: 128, height: 128, numberResults: index + 1 })),
    );
    expect(batches.map((images) => images?.length)).toEqual([1, 2, 3]);
    for (const images of batches) expect(new Set(images?.map((image) => image.taskUUID)).size).toBe(1);
  });
});
