import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

/*
 * The simulator's validation of the generation and platform tasks, as properties: every request
 * built within the documented rules is accepted (its first answer carries no error), and the same
 * request with one field made invalid is rejected with an API-shaped error naming that field.
 */

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const prompt = fc.string({ minLength: 2, maxLength: 60 });
const outputType = optional(fc.constantFrom('URL', 'base64Data', 'dataURI'));

const VALID: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  audioInference: fc.record({ taskType: fc.constant('audioInference'), model: fc.constant('elevenlabs:1@1'), positivePrompt: prompt, duration: optional(fc.double({ min: 1, max: 20, noNaN: true })), numberResults: optional(fc.integer({ min: 1, max: 3 })), outputFormat: optional(fc.constantFrom('MP3', 'WAV', 'FLAC', 'OGG', 'mp3')), outputType, audioSettings: optional(fc.record({ sampleRate: fc.integer({ min: 8000, max: 48_000 }), bitrate: fc.integer({ min: 32, max: 320 }), channels: fc.constantFrom(1, 2) }, { requiredKeys: [] })) }),
  textInference: fc.record({ taskType: fc.constant('textInference'), model: fc.constant('google:gemma@4-31b'), messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: prompt }), { minLength: 0, maxLength: 3 }).map((history) => [...history, { role: 'user', content: 'and now?' }]), settings: optional(fc.record({ maxTokens: fc.integer({ min: 1, max: 500 }), temperature: fc.double({ min: 0, max: 2, noNaN: true }), stopSequences: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }), thinking: fc.boolean() }, { requiredKeys: [] })), includeUsage: optional(fc.boolean()) }),
  '3dInference': fc.record({ taskType: fc.constant('3dInference'), model: fc.constant('runware:3d@1'), positivePrompt: prompt, numberResults: optional(fc.integer({ min: 1, max: 4 })), deliveryMethod: fc.constantFrom('sync', 'async'), outputFormat: optional(fc.constant('GLB')) }),
  imageMasking: fc.record({ taskType: fc.constant('imageMasking'), model: fc.constant('runware:35@1'), inputImage: fc.constant(PNG), confidence: optional(fc.double({ min: 0, max: 1, noNaN: true })), maxDetections: optional(fc.integer({ min: 1, max: 20 })), maskPadding: optional(fc.integer({ min: -20, max: 20 })), maskBlur: optional(fc.integer({ min: 0, max: 20 })), outputType }),
  controlNetPreprocess: fc.record({ taskType: fc.constantFrom('controlNetPreprocess', 'imageControlNetPreProcess'), inputImage: fc.constant(PNG), preProcessorType: fc.constantFrom('canny', 'depth', 'mlsd', 'normalbae', 'openpose', 'tile', 'seg', 'lineart', 'lineart_anime', 'shuffle', 'scribble', 'softedge'), width: optional(fc.integer({ min: 64, max: 4096 })), outputType }),
  photoMaker: fc.record({ taskType: fc.constant('photoMaker'), model: fc.constant('civitai:139562@297320'), inputImages: fc.array(fc.constant(PNG), { minLength: 1, maxLength: 4 }), positivePrompt: prompt, width: fc.integer({ min: 128, max: 2048 }), height: fc.integer({ min: 128, max: 2048 }), style: optional(fc.constantFrom('No style', 'Cinematic', 'Disney Character', 'Comic book')), strength: optional(fc.integer({ min: 15, max: 50 })) }),
  modelSearch: fc.record({ taskType: fc.constant('modelSearch'), search: optional(prompt), limit: optional(fc.integer({ min: 1, max: 100 })), offset: optional(fc.nat(1000)), category: optional(fc.constantFrom('checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings')), visibility: optional(fc.constantFrom('all', 'public', 'private', 'favorite', 'owned')), sort: optional(fc.constantFrom('popularity', '-name', 'addedUnixTimestamp')) }),
  modelUpload: fc.record({ taskType: fc.constant('modelUpload'), category: fc.constant('lora'), architecture: fc.constantFrom('flux1d', 'sdxl', 'pony'), format: fc.constant('safetensors'), name: prompt, version: fc.constant('1'), downloadURL: fc.constant('https://example.com/model.safetensors'), deliveryMethod: fc.constant('async'), defaultWeight: optional(fc.double({ min: -4, max: 4, noNaN: true })) }),
  training: fc.record({ taskType: fc.constant('training'), model: fc.constant('runware:trainer@1'), importModel: fc.record({ air: fc.constant('runware:9@1'), name: prompt }), inputs: fc.constant({ dataset: 'https://example.com/set.zip' }) }),
};

/** One field made invalid, and the parameter the error must name. */
const CORRUPT: Record<string, fc.Arbitrary<readonly [Record<string, unknown>, string]>> = {
  audioInference: fc.oneof(fc.double({ min: 301, max: 1e6, noNaN: true }).map((duration) => [{ duration }, 'duration'] as const), fc.integer({ min: 4, max: 100 }).map((numberResults) => [{ numberResults }, 'numberResults'] as const), fc.integer({ min: 48_001, max: 1e6 }).map((sampleRate) => [{ audioSettings: { sampleRate } }, 'audioSettings.sampleRate'] as const)),
  textInference: fc.oneof(fc.constant([{ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yes' }] }, 'messages'] as const), fc.double({ min: 2.01, max: 100, noNaN: true }).map((temperature) => [{ settings: { temperature } }, 'settings.temperature'] as const)),
  '3dInference': fc.oneof(fc.constantFrom('OBJ', 'PLY', 'FBX').map((outputFormat) => [{ outputFormat }, 'outputFormat'] as const), fc.integer({ min: 5, max: 99 }).map((numberResults) => [{ numberResults }, 'numberResults'] as const)),
  imageMasking: fc.oneof(fc.double({ min: 1.01, max: 10, noNaN: true }).map((confidence) => [{ confidence }, 'confidence'] as const), fc.integer({ min: 21, max: 99 }).map((maxDetections) => [{ maxDetections }, 'maxDetections'] as const)),
  controlNetPreprocess: fc.oneof(fc.constantFrom('sketch', 'edges', 'CANNY!').map((preProcessorType) => [{ preProcessorType }, 'preProcessorType'] as const), fc.integer({ min: 1, max: 63 }).map((width) => [{ width }, 'width'] as const)),
  photoMaker: fc.oneof(fc.integer({ min: 2049, max: 9999 }).map((width) => [{ width }, 'width'] as const), fc.constantFrom('Baroque', 'Anime').map((style) => [{ style }, 'style'] as const), fc.constant([{ inputImages: [] }, 'inputImages'] as const)),
  modelSearch: fc.oneof(fc.integer({ min: 101, max: 999 }).map((limit) => [{ limit }, 'limit'] as const), fc.constantFrom('upscaler', 'model').map((category) => [{ category }, 'category'] as const)),
  modelUpload: fc.oneof(fc.constantFrom('ckpt', 'gguf').map((format) => [{ format }, 'format'] as const), fc.constant([{ downloadURL: 'file:///etc/passwd' }, 'downloadURL'] as const)),
  training: fc.oneof(fc.constantFrom('sync', 'stream').map((deliveryMethod) => [{ deliveryMethod }, 'deliveryMethod'] as const), fc.constant([{ inputs: {} }, 'inputs.dataset'] as const)),
};

const firstAnswer = async (client: RawClient, fields: Record<string, unknown>) => {
  const id = taskUUID();
  client.send([{ ...fields, taskUUID: id }]);
  return client.results(id);
};

describe('simulator validation of the generation and platform tasks, as properties', () => {
  const harness = useSimulator();

  it.each(Object.keys(VALID))('accepts every valid %s request, and rejects it with one field made invalid, naming that field', async (name) => {
    await harness.start({ media: false, videoReadyAfterMs: 60_000 });
    const client = await harness.authed();
    await fc.assert(
      fc.asyncProperty(VALID[name]!, CORRUPT[name]!, async (fields, [change, parameter]) => {
        const ok = await firstAnswer(client, fields);
        expect(ok.errors).toEqual([]);
        const bad = await firstAnswer(client, { ...fields, ...change });
        expect(bad.data).toEqual([]);
        expect(bad.errors).toEqual([expect.objectContaining({ parameter, taskType: fields['taskType'], code: expect.stringMatching(/^(invalid|missing|unsupported)/) })]);
      }),
      { numRuns: 60 },
    );
  });
});
