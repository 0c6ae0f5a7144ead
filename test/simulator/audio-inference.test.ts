import { describe, expect, it } from 'vitest';
import { decodeAudio, rms } from './support/audio.js';
import { useSimulator } from './support/harness.js';
import { outputBytes } from './support/media.js';
import { allSucceeded, pollUntil, taskUUID, type RawClient } from './support/raw-client.js';

/** Sends one task (a fresh taskUUID) and resolves with its items. */
const run = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const task = { taskType: 'audioInference', taskUUID: taskUUID(), model: 'elevenlabs:1@1', ...fields };
  client.send([task]);
  return { task, ...(await client.results(String(task.taskUUID), count)) };
};

describe('simulator: audioInference', () => {
  const harness = useSimulator();

  it.each([
    ['WAV', 2, 44_100, 2],
    ['FLAC', 3.5, 48_000, 1],
    ['MP3', 2, 44_100, 2],
    ['OGG', 1.5, 22_050, 1],
  ] as const)('answers a playable %s of the asked duration (%s s, %i Hz, %i channels), decoded by a real decoder', async (outputFormat, duration, sampleRate, channels) => {
    await harness.start();
    const client = await harness.authed();
    const { task, data, errors } = await run(client, { positivePrompt: 'a calm piano piece', duration, outputFormat, audioSettings: { sampleRate, channels }, seed: 7 });
    expect(errors).toEqual([]);
    expect(data[0]).toEqual({
      taskType: 'audioInference',
      taskUUID: task.taskUUID,
      audioUUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      audioURL: expect.stringMatching(new RegExp(`\\.${outputFormat.toLowerCase()}$`)),
      seed: 7,
    });
    const decoded = await decodeAudio(await outputBytes(data[0]!, 'audio'));
    expect({ format: decoded.format, sampleRate: decoded.sampleRate, channels: decoded.channels }).toEqual({ format: outputFormat, sampleRate, channels });
    if (outputFormat === 'WAV' || outputFormat === 'FLAC') expect(decoded.frames).toBe(Math.round(duration * sampleRate));
    // The lossy codecs pad by up to a frame or two (an MP3 frame is 1152 samples).
    else expect(Math.abs(decoded.seconds - duration)).toBeLessThan(0.1);
    expect(rms(decoded.samples)).toBeGreaterThan(0.01);
  });

  it('is deterministic per prompt and seed: the same request gives the same bytes, another seed others', async () => {
    await harness.start();
    const client = await harness.authed();
    const fields = { positivePrompt: 'rain on a tin roof', duration: 1, outputFormat: 'WAV', seed: 3 };
    const [a, b, c] = await Promise.all([run(client, fields), run(client, fields), run(client, { ...fields, seed: 4 })]);
    const [bytesA, bytesB, bytesC] = (await Promise.all([a, b, c].map(({ data }) => outputBytes(data[0]!, 'audio')))) as [Buffer, Buffer, Buffer];
    expect(bytesA.equals(bytesB)).toBe(true);
    expect(bytesA.equals(bytesC)).toBe(false);
  });

  it('speaks speech.text: without a duration the file lasts about 0.4 s a word, and numberResults gives seeds counting up', async () => {
    await harness.start();
    const client = await harness.authed();
    const text = 'the quick brown fox jumps over the lazy dog again';
    const { data } = await run(client, { speech: { text, voice: 'Rachel' }, outputFormat: 'WAV', numberResults: 2, seed: 10, outputType: 'base64Data', includeCost: true }, 2);
    // Results of one task arrive as each is ready, in any order (as the API's do).
    expect(data.map((item) => Number(item['seed'])).sort((a, b) => a - b)).toEqual([10, 11]);
    expect(data.every((item) => typeof item['audioBase64Data'] === 'string' && Number(item['cost']) > 0)).toBe(true);
    const decoded = await decodeAudio(await outputBytes(data[0]!, 'audio'));
    expect(decoded.seconds).toBeCloseTo(10 * 0.4, 5);
  });

  it('supports deliveryMethod "async": an ack, then the file through getResponse', async () => {
    await harness.start({ imageLatencyMs: 20 });
    const client = await harness.authed();
    const { task, data } = await run(client, { positivePrompt: 'birdsong', duration: 1, outputFormat: 'FLAC', outputType: 'dataURI', deliveryMethod: 'async' });
    expect(data).toEqual([{ taskType: 'audioInference', taskUUID: task.taskUUID }]);
    const replies = await pollUntil(client, task.taskUUID, allSucceeded(1), { intervalMs: 20 });
    const done = replies.at(-1)!.data![0]!;
    expect(String(done['audioDataURI'])).toMatch(/^data:audio\/flac;base64,/);
    expect((await decodeAudio(await outputBytes(done, 'audio'))).frames).toBe(44_100);
  });

  it('in fast mode answers a quarter second of silence of the format, decodable all the same', async () => {
    await harness.start({ media: false });
    const client = await harness.authed();
    for (const outputFormat of ['MP3', 'WAV', 'FLAC', 'OGG']) {
      const { data } = await run(client, { positivePrompt: 'a drum loop', duration: 30, outputFormat });
      const decoded = await decodeAudio(await outputBytes(data[0]!, 'audio'));
      expect(decoded.format).toBe(outputFormat);
      expect(decoded.seconds).toBeGreaterThan(0.2);
      expect(decoded.seconds).toBeLessThan(0.4);
    }
  });

  it.each([
    [{ model: undefined }, 'missingModel', 'model'],
    [{ model: 'nonexistent:1@1' }, 'modelNotFound', 'model'],
    [{ positivePrompt: undefined }, 'missingPositivePrompt', 'positivePrompt'],
    [{ duration: 0.5 }, 'invalidDuration', 'duration'],
    [{ duration: 301 }, 'invalidDuration', 'duration'],
    [{ numberResults: 4 }, 'invalidNumberResults', 'numberResults'],
    [{ outputFormat: 'AAC' }, 'unsupportedOutputFormat', 'outputFormat'],
    [{ outputType: 'file' }, 'invalidOutputType', 'outputType'],
    [{ audioSettings: { sampleRate: 96_000 } }, 'invalidSampleRate', 'audioSettings.sampleRate'],
    [{ audioSettings: { bitrate: 16 } }, 'invalidBitrate', 'audioSettings.bitrate'],
    [{ audioSettings: { channels: 6 } }, 'invalidChannels', 'audioSettings.channels'],
    [{ audioSettings: 'loud' }, 'invalidAudioSettings', 'audioSettings'],
    [{ positivePrompt: undefined, speech: { voice: 'Rachel' } }, 'missingText', 'speech.text'],
    [{ inputs: { audio: '00000000-0000-4000-8000-000000000000' } }, 'mediaNotFound', 'inputs.audio'],
    [{ deliveryMethod: 'stream' }, 'invalidDeliveryMethod', 'deliveryMethod'],
    [{ seed: 0 }, 'invalidSeed', 'seed'],
  ])('rejects %j with %s naming %s', async (change, code, parameter) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    const { task, data, errors } = await run(client, { positivePrompt: 'a calm piano piece', duration: 10, ...change });
    expect(data).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code, parameter, taskType: 'audioInference', taskUUID: task.taskUUID, type: expect.any(String), documentation: expect.stringContaining('audio') })]);
  });
});
