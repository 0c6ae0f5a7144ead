import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import type { RunwareClient } from 'runware-rx';
import type { ImageInferenceResult, UpscaleResult } from 'runware-rx/tasks';
import { generateThenUpscale, generateThenUpscale$ } from '../../examples/typed-pipeline/pipeline.js';

/* examples/typed-pipeline: its results are typed with no annotation in the example. */

declare const runware: RunwareClient;
const params = { model: 'runware:101@1', positivePrompt: 'a red bicycle', width: 512, height: 384 };

describe('the typed pipeline example', () => {
  it('infers the generated image and its upscale, as promises and as a stream', () => {
    expectTypeOf(generateThenUpscale(runware, params)).resolves.toEqualTypeOf<{ generated: ImageInferenceResult; upscaled: UpscaleResult }>();
    expectTypeOf(generateThenUpscale$(runware, params)).toEqualTypeOf<Observable<{ generated: ImageInferenceResult; upscaled: UpscaleResult }>>();
    expectTypeOf<UpscaleResult['imageURL']>().toEqualTypeOf<string | undefined>();
  });

  it('does not compile a misspelt field of a result, or a wrong parameter', async () => {
    const { generated, upscaled } = await generateThenUpscale(runware, params);
    // @ts-expect-error imageUrl is not a field: the field is imageURL
    void upscaled.imageUrl;
    // @ts-expect-error neither is seeds
    void generated.seeds;
    // @ts-expect-error positivePrompt must be a string
    void generateThenUpscale(runware, { ...params, positivePrompt: 42 });
  });
});
