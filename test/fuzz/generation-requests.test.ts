import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import type { RunwareClient } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * The client's validation of the generation and platform tasks against the simulator's, which is
 * written from the protocol reference and never imports the client's schemas: every request
 * generated within the documented rules passes the client and is answered by the simulator;
 * the same request with one known field made invalid is refused by the client, naming that
 * field, and never reaches the simulator.
 */

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const given = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
const prompt = fc.string({ minLength: 2, maxLength: 80 }).filter((text) => text.trim().length >= 2);
const seed = optional(fc.integer({ min: 1, max: 2 ** 31 }));
const outputType = optional(fc.constantFrom('URL', 'base64Data', 'dataURI'));
const imageFormat = optional(fc.constantFrom('JPG', 'PNG', 'WEBP', 'png'));

interface Case {
  readonly valid: fc.Arbitrary<Record<string, unknown>>;
  readonly corrupt: fc.Arbitrary<readonly [Record<string, unknown>, string]>;
  /** How many results a valid request resolves with. */
  readonly results?: (params: Record<string, unknown>) => number;
}

const CASES: Record<string, Case> = {
  audioInference: {
    valid: fc
      .record({ positivePrompt: prompt, duration: optional(fc.integer({ min: 1, max: 30 })), numberResults: optional(fc.integer({ min: 1, max: 3 })), seed, outputType, outputFormat: optional(fc.constantFrom('MP3', 'WAV', 'FLAC', 'OGG', 'wav')), includeCost: optional(fc.boolean()), audioSettings: optional(fc.record({ sampleRate: fc.integer({ min: 8000, max: 48_000 }), bitrate: fc.integer({ min: 32, max: 320 }), channels: fc.constantFrom(1, 2) }, { requiredKeys: [] })) })
      .map((fields) => ({ model: 'elevenlabs:1@1', ...given(fields) })),
    corrupt: fc.oneof(
      fc.constantFrom('MIDI', 'mp4', 3).map((outputFormat) => [{ outputFormat }, 'outputFormat'] as const),
      fc.constantFrom(0, -1, 'long').map((duration) => [{ duration }, 'duration'] as const),
      fc.constantFrom('', 7).map((model) => [{ model }, 'model'] as const),
    ),
    results: (params) => (params['numberResults'] as number | undefined) ?? 1,
  },
  textInference: {
    valid: fc
      .record({ content: prompt, seed, numberResults: optional(fc.integer({ min: 1, max: 3 })), includeUsage: optional(fc.boolean()), includeCost: optional(fc.boolean()), settings: optional(fc.record({ maxTokens: fc.integer({ min: 1, max: 200 }), temperature: fc.double({ min: 0, max: 2, noNaN: true }), topP: fc.double({ min: 0, max: 1, noNaN: true }), cache: fc.record({ scope: fc.constantFrom('system', 'system+history'), ttl: fc.constantFrom('5m', '1h') }) }, { requiredKeys: [] })), deliveryMethod: optional(fc.constantFrom('sync', 'async', 'stream')) })
      // A streamed answer is one result (over HTTP).
      .map(({ content, ...fields }) => ({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content }], ...given(fields.deliveryMethod === 'stream' ? { ...fields, numberResults: undefined } : fields) })),
    corrupt: fc.oneof(
      fc.constantFrom('system', 'robot').map((role) => [{ messages: [{ role, content: 'hi' }] }, 'messages'] as const),
      fc.constantFrom(0, 1.5).map((maxTokens) => [{ settings: { maxTokens } }, 'settings.maxTokens'] as const),
      fc.constantFrom('STREAM', 'later').map((deliveryMethod) => [{ deliveryMethod }, 'deliveryMethod'] as const),
      fc.constant([{ deliveryMethod: 'stream', numberResults: 2 }, 'numberResults'] as const),
    ),
    results: (params) => (params['numberResults'] as number | undefined) ?? 1,
  },
  threeDInference: {
    valid: fc.record({ positivePrompt: prompt, seed, numberResults: optional(fc.integer({ min: 1, max: 4 })), outputFormat: optional(fc.constantFrom('GLB', 'glb')), deliveryMethod: optional(fc.constantFrom('sync', 'async')), includeCost: optional(fc.boolean()) }).map((fields) => ({ model: 'runware:3d@1', ...given(fields) })),
    corrupt: fc.oneof(fc.constantFrom('base64Data', 'file').map((outputType) => [{ outputType }, 'outputType'] as const), fc.constantFrom(0, 5).map((numberResults) => [{ numberResults }, 'numberResults'] as const)),
    results: (params) => (params['numberResults'] as number | undefined) ?? 1,
  },
  vectorize: {
    valid: fc.record({ outputType, outputFormat: optional(fc.constantFrom('SVG', 'svg')), includeCost: optional(fc.boolean()), nested: fc.boolean() }).map(({ nested, ...fields }) => ({ ...given(fields), ...(nested ? { inputs: { image: PNG } } : { inputImage: PNG }) })),
    corrupt: fc.oneof(fc.constantFrom('PNG', 'EPS').map((outputFormat) => [{ outputFormat }, 'outputFormat'] as const), fc.constantFrom('ftp://a/b.png', 12).map((inputImage) => [{ inputImage }, 'inputImage'] as const)),
  },
  imageMasking: {
    valid: fc.record({ confidence: optional(fc.double({ min: 0, max: 1, noNaN: true })), maxDetections: optional(fc.integer({ min: 1, max: 20 })), maskPadding: optional(fc.integer({ min: -10, max: 10 })), maskBlur: optional(fc.integer({ min: 0, max: 10 })), outputType, outputFormat: imageFormat }).map((fields) => ({ model: 'runware:35@1', inputImage: PNG, ...given(fields) })),
    corrupt: fc.oneof(fc.constantFrom(-0.5, 2).map((confidence) => [{ confidence }, 'confidence'] as const), fc.constantFrom('GIF').map((outputFormat) => [{ outputFormat }, 'outputFormat'] as const), fc.constant([{ model: undefined }, 'model'] as const)),
  },
  controlNetPreprocess: {
    valid: fc
      .record({ preProcessorType: fc.constantFrom('canny', 'depth', 'openpose', 'seg', 'tile', 'lineart'), low: fc.integer({ min: 0, max: 120 }), gap: fc.integer({ min: 1, max: 100 }), width: optional(fc.integer({ min: 64, max: 512 })), outputType, outputFormat: imageFormat, includeHandsAndFaceOpenPose: optional(fc.boolean()) })
      .map(({ low, gap, ...fields }) => ({ inputImage: PNG, lowThresholdCanny: low, highThresholdCanny: low + gap, ...given(fields) })),
    corrupt: fc.oneof(fc.constantFrom('sketch', 'edges').map((preProcessorType) => [{ preProcessorType }, 'preProcessorType'] as const), fc.constantFrom(256, -1).map((highThresholdCanny) => [{ highThresholdCanny }, 'highThresholdCanny'] as const)),
  },
  photoMaker: {
    valid: fc
      .record({ positivePrompt: prompt, width: fc.integer({ min: 128, max: 512 }), height: fc.integer({ min: 128, max: 512 }), numberResults: optional(fc.integer({ min: 1, max: 3 })), strength: optional(fc.integer({ min: 15, max: 50 })), style: optional(fc.constantFrom('No style', 'Cinematic', 'Line art')), seed, outputType, outputFormat: imageFormat })
      .map((fields) => ({ model: 'civitai:139562@297320', inputImages: [PNG], ...given(fields) })),
    corrupt: fc.oneof(fc.constantFrom(64, 4096).map((width) => [{ width }, 'width'] as const), fc.constantFrom([], [1]).map((inputImages) => [{ inputImages }, 'inputImages'] as const), fc.constantFrom(10, 51).map((strength) => [{ strength }, 'strength'] as const)),
    results: (params) => (params['numberResults'] as number | undefined) ?? 1,
  },
  modelSearch: {
    valid: fc.record({ search: optional(fc.constantFrom('flux', 'real', 'xl', 'anime')), category: optional(fc.constantFrom('checkpoint', 'lora', 'controlnet')), limit: optional(fc.integer({ min: 1, max: 100 })), offset: optional(fc.integer({ min: 0, max: 500 })), visibility: optional(fc.constantFrom('public', 'private', 'all')), tags: optional(fc.array(fc.constantFrom('anime', 'portrait', 'style'), { maxLength: 2 })) }).map(given),
    corrupt: fc.oneof(fc.constantFrom(0, 101).map((limit) => [{ limit }, 'limit'] as const), fc.constantFrom(-1, 0.5).map((offset) => [{ offset }, 'offset'] as const), fc.constantFrom('upscaler').map((category) => [{ category }, 'category'] as const)),
  },
  accountManagement: {
    valid: fc.constantFrom({ operation: 'getDetails' }, { operation: 'getUsageActivity', groupBy: ['date'] }, { operation: 'getUsagePerformance' }, { operation: 'getUsageErrors', groupBy: ['model', 'apiKey'] }),
    corrupt: fc.oneof(fc.constantFrom('getBalance', '').map((operation) => [{ operation }, 'operation'] as const), fc.constant([{ groupBy: ['week'] }, 'groupBy'] as const)),
  },
};

const call = (runware: RunwareClient, method: string, params: Record<string, unknown>): Promise<readonly unknown[]> =>
  (runware as unknown as Record<string, (request: Record<string, unknown>) => Promise<readonly unknown[]>>)[method]!(params);

describe('generated generation and platform requests, through the client, against the simulator', () => {
  it.each(Object.keys(CASES))('%s: every valid request is answered, every corrupted one refused locally naming its field', async (method) => {
    const { valid, corrupt, results } = CASES[method]!;
    const sim = await simulator({ media: false });
    const runware = client(sim);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(valid, corrupt, async (params, [change, field]) => {
        const answered = await call(runware, method, params);
        sent += 1;
        expect(answered.length).toBe(results?.(params) ?? 1);
        const bad = given({ ...params, ...change });
        const error: unknown = await call(runware, method, bad).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(isRunwareError(error) && error.code === 'validation' && error.sent === false, String(error)).toBe(true);
        const paths = (error as { issues: readonly { path: string }[] }).issues.map((issue) => issue.path);
        expect(paths.some((path) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`)), `${paths.join(', ')} names ${field}`).toBe(true);
        // Async text requests poll: count only the submissions of the task itself.
        const submitted = sim.receivedTasks().filter((task) => task.taskType !== 'authentication' && task.taskType !== 'getResponse').length;
        expect(submitted).toBe(sent);
      }),
      { numRuns: 40 },
    );
  });
});
