import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import type { RunwareClient } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * The client's validation of the image tools against the simulator's, which is written from the
 * protocol reference and never imports the client's schemas: every request generated within the
 * documented rules passes the client and is answered by the simulator; every request with one
 * known field made invalid is refused by the client, naming that field, and never reaches it.
 */

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
/** Drops the fields left undefined, as a user who does not set them. */
const given = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

const outputs = {
  outputType: optional(fc.constantFrom('URL', 'base64Data', 'dataURI')),
  outputFormat: optional(fc.constantFrom('JPG', 'PNG', 'WEBP', 'png', 'webp')),
  outputQuality: optional(fc.integer({ min: 20, max: 99 })),
  includeCost: optional(fc.boolean()),
};

type Method = 'upscale' | 'imageUpscale' | 'removeBackground' | 'imageBackgroundRemoval' | 'caption' | 'promptEnhance' | 'imageUpload';

/** Valid requests, per method. */
const valid: Record<string, fc.Arbitrary<readonly [Method, Record<string, unknown>]>> = {
  upscale: fc
    .tuple(
      fc.constantFrom<Method>('upscale', 'imageUpscale'),
      fc.record({ upscaleFactor: fc.integer({ min: 2, max: 4 }), model: optional(fc.constantFrom('runware:500@1', 'civitai:1@2')), ...outputs }),
      fc.boolean(),
    )
    .map(([method, fields, nested]) => [method, { ...given(fields), ...(nested ? { inputs: { image: PNG } } : { inputImage: PNG }) }] as const),
  removeBackground: fc
    .tuple(
      fc.constantFrom<Method>('removeBackground', 'imageBackgroundRemoval'),
      fc.record({
        settings: optional(
          fc.record(
            {
              rgba: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.double({ min: 0, max: 1, noNaN: true })),
              postProcessMask: fc.boolean(),
              returnOnlyMask: fc.boolean(),
              alphaMatting: fc.boolean(),
              alphaMattingForegroundThreshold: fc.integer({ min: 1, max: 255 }),
              alphaMattingBackgroundThreshold: fc.integer({ min: 1, max: 255 }),
              alphaMattingErodeSize: fc.integer({ min: 1, max: 255 }),
            },
            { requiredKeys: [] },
          ),
        ),
        ...outputs,
      }),
    )
    .map(([method, fields]) => [method, { ...given(fields), inputImage: PNG }] as const),
  caption: fc.record({ includeCost: outputs.includeCost }).map((fields) => ['caption', { ...given(fields), inputImage: PNG }] as const),
  promptEnhance: fc
    .record({
      prompt: fc.string({ minLength: 1, maxLength: 300 }).filter((prompt) => prompt.trim() !== ''),
      promptMaxLength: optional(fc.integer({ min: 4, max: 400 })),
      promptVersions: optional(fc.integer({ min: 1, max: 5 })),
      includeCost: outputs.includeCost,
    })
    .map((fields) => ['promptEnhance', given(fields)] as const),
  imageUpload: fc.constant(['imageUpload', { image: PNG }] as const),
};

/** One known field made invalid, with the field the error must name. */
const corrupted: Record<string, fc.Arbitrary<readonly [Record<string, unknown>, string]>> = {
  upscale: fc.oneof(
    fc.integer().filter((n) => n < 1 || n > 8).map((upscaleFactor) => [{ upscaleFactor }, 'upscaleFactor'] as const),
    fc.constantFrom('GIF', 'TIFF', '', 7).map((outputFormat) => [{ outputFormat }, 'outputFormat'] as const),
    fc.constantFrom('file:///etc/passwd', 'ftp://example.com/a.png', 17, [PNG]).map((inputImage) => [{ inputImage }, 'inputImage'] as const),
  ),
  removeBackground: fc.oneof(
    fc.integer().filter((n) => n < 1 || n > 255).map((value) => [{ settings: { alphaMattingErodeSize: value } }, 'settings.alphaMattingErodeSize'] as const),
    fc.constantFrom('red', [1, 2, 3], [256, 0, 0, 1]).map((rgba) => [{ settings: { rgba } }, 'settings.rgba'] as const),
    fc.constantFrom('yes', 1).map((returnOnlyMask) => [{ settings: { returnOnlyMask } }, 'settings.returnOnlyMask'] as const),
  ),
  caption: fc.constantFrom('javascript:alert(1)', 12, {}).map((inputImage) => [{ inputImage }, 'inputImage'] as const),
  promptEnhance: fc.oneof(
    fc.integer().filter((n) => n < 4 || n > 400).map((promptMaxLength) => [{ promptMaxLength }, 'promptMaxLength'] as const),
    fc.integer().filter((n) => n < 1 || n > 5).map((promptVersions) => [{ promptVersions }, 'promptVersions'] as const),
  ),
  imageUpload: fc.constantFrom('ftp://example.com/a.png', 3, null).map((image) => [{ image }, 'image'] as const),
};

const call = (runware: RunwareClient, method: Method, params: Record<string, unknown>): Promise<readonly unknown[]> =>
  (runware[method] as (request: Record<string, unknown>) => Promise<readonly unknown[]>)(params);

describe('generated image-tool requests, through the client, against the simulator', () => {
  it.each(Object.keys(valid))('%s: every valid request is answered, every corrupted one refused locally naming its field', async (task) => {
    const sim = await simulator({ media: false });
    const runware = client(sim);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(valid[task]!, corrupted[task]!, async ([method, params], [change, field]) => {
        const results = await call(runware, method, params);
        sent += 1;
        expect(results.length).toBe(method === 'promptEnhance' ? ((params['promptVersions'] as number | undefined) ?? 1) : 1);

        const settings = { ...((params['settings'] as object | undefined) ?? {}), ...((change['settings'] as object | undefined) ?? {}) };
        const bad = { ...params, ...change, ...(Object.keys(settings).length > 0 ? { settings } : {}) };
        const error: unknown = await call(runware, method, bad).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(isRunwareError(error) && error.code === 'validation' && error.sent === false).toBe(true);
        const paths = (error as { issues: readonly { path: string }[] }).issues.map((issue) => issue.path);
        expect(paths.some((path) => path === field || path.startsWith(`${field}.`)), `${paths.join(', ')} names ${field}`).toBe(true);
        // The corrupted requests never reached the simulator: it saw exactly the valid ones.
        expect(sim.receivedTasks().filter((task) => task.taskType !== 'authentication').length).toBe(sent);
      }),
      { numRuns: 100 },
    );
  });
});
