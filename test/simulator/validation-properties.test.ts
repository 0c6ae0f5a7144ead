import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

/*
 * The simulator's validation of the tool tasks, as properties: every request built within the
 * documented rules is accepted, and the same request with one field made invalid is rejected with
 * an error naming that field. Fast mode (placeholders), one socket, a few hundred cases each.
 */

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const outputs = {
  outputType: fc.constantFrom('URL', 'base64Data', 'dataURI', undefined),
  outputFormat: fc.constantFrom('JPG', 'PNG', 'WEBP', 'jpg', 'png', undefined),
  outputQuality: fc.option(fc.integer({ min: 20, max: 99 }), { nil: undefined }),
  includeCost: fc.option(fc.boolean(), { nil: undefined }),
  deliveryMethod: fc.constantFrom('sync', undefined),
};

const upscale = fc.record({
  taskType: fc.constantFrom('upscale', 'imageUpscale'),
  inputImage: fc.constant(`data:image/png;base64,${PNG_1x1}`),
  upscaleFactor: fc.integer({ min: 2, max: 4 }),
  model: fc.constantFrom('runware:500@1', 'runware:503@1', 'civitai:1@2', undefined),
  ...outputs,
});
const removeBackground = fc.record({
  taskType: fc.constantFrom('removeBackground', 'imageBackgroundRemoval'),
  inputImage: fc.constant(PNG_1x1),
  settings: fc.record(
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
  ...outputs,
});
const promptEnhance = fc.record({
  taskType: fc.constant('promptEnhance'),
  prompt: fc.string({ minLength: 1, maxLength: 300 }),
  promptMaxLength: fc.option(fc.integer({ min: 4, max: 400 }), { nil: undefined }),
  promptVersions: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  includeCost: outputs.includeCost,
});

/** One field made invalid, and the parameter the error must name. */
const corruptions: Record<string, fc.Arbitrary<readonly [Record<string, unknown>, string]>> = {
  upscale: fc.oneof(
    fc.integer().filter((n) => n < 2 || n > 4).map((upscaleFactor) => [{ upscaleFactor }, 'upscaleFactor'] as const),
    fc.constantFrom('GIF', 'TIFF', '', 7).map((outputFormat) => [{ outputFormat }, 'outputFormat'] as const),
    fc.integer().filter((n) => n < 20 || n > 99).map((outputQuality) => [{ outputQuality }, 'outputQuality'] as const),
    fc.constantFrom('nonexistent:999@999', 'not an air', 42).map((model) => [{ model }, 'model'] as const),
    fc.constantFrom('@@', 'aGVsbG8=', 17, '9b0d5b8e-0000-4000-8000-000000000000').map((inputImage) => [{ inputImage }, 'inputImage'] as const),
  ),
  removeBackground: fc.oneof(
    fc.integer().filter((n) => n < 1 || n > 255).map((value) => [{ settings: { alphaMattingErodeSize: value } }, 'settings.alphaMattingErodeSize'] as const),
    fc.constantFrom('red', [1, 2, 3], [0, 0, 0, 2], [256, 0, 0, 1]).map((rgba) => [{ settings: { rgba } }, 'settings.rgba'] as const),
    fc.constantFrom('yes', 1).map((returnOnlyMask) => [{ settings: { returnOnlyMask } }, 'settings.returnOnlyMask'] as const),
  ),
  promptEnhance: fc.oneof(
    fc.integer().filter((n) => n < 4 || n > 400).map((promptMaxLength) => [{ promptMaxLength }, 'promptMaxLength'] as const),
    fc.integer().filter((n) => n < 1 || n > 5).map((promptVersions) => [{ promptVersions }, 'promptVersions'] as const),
    fc.string({ minLength: 301, maxLength: 400 }).map((prompt) => [{ prompt }, 'prompt'] as const),
  ),
};

const answer = async (client: RawClient, fields: Record<string, unknown>, count = 1) => {
  const id = taskUUID();
  client.send([{ ...fields, taskUUID: id }]);
  return client.results(id, count);
};

describe('simulator validation, as properties', () => {
  const harness = useSimulator();

  it.each([
    ['upscale', upscale],
    ['removeBackground', removeBackground],
    ['promptEnhance', promptEnhance],
  ] as const)('accepts every valid %s request, and rejects it with one field made invalid, naming that field', async (name, valid) => {
    await harness.start({ media: false });
    const client = await harness.authed();
    await fc.assert(
      fc.asyncProperty(valid, corruptions[name]!, async (fields, [change, parameter]) => {
        const versions = (fields as { promptVersions?: number }).promptVersions ?? 1;
        const ok = await answer(client, fields, name === 'promptEnhance' ? versions : 1);
        expect(ok.errors).toEqual([]);
        const bad = await answer(client, { ...fields, ...change, settings: { ...((fields as { settings?: object }).settings ?? {}), ...((change['settings'] as object | undefined) ?? {}) } });
        expect(bad.data).toEqual([]);
        expect(bad.errors).toEqual([expect.objectContaining({ parameter, taskType: fields.taskType, code: expect.stringMatching(/^(invalid|missing|unsupported|modelNotFound|mediaNotFound)/) })]);
      }),
      { numRuns: 150 },
    );
  });
});
