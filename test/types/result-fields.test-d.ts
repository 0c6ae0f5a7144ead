import { describe, expectTypeOf, it } from 'vitest';
import type { AudioInferenceResult, ImageInferenceResult, ModelSearchEntry, PhotoMakerResult, TextInferenceResult, ThreeDInferenceResult, VideoInferenceResult } from 'runware-rx/tasks';

/*
 * Result types carry the fields the protocol reference says come back, typed as they may come:
 * a field the reader accepts an item without is optional.
 */

describe('result types', () => {
  it('a seed is a number, or a BigInt past 2^53 − 1 (it goes to 2^63 − 1, protocol §4.2), as the client reads it', () => {
    expectTypeOf<ImageInferenceResult['seed']>().toEqualTypeOf<number | bigint | undefined>();
    expectTypeOf<VideoInferenceResult['seed']>().toEqualTypeOf<number | bigint | undefined>();
    expectTypeOf<AudioInferenceResult['seed']>().toEqualTypeOf<number | bigint | undefined>();
    expectTypeOf<PhotoMakerResult['seed']>().toEqualTypeOf<number | bigint | undefined>();
    expectTypeOf<TextInferenceResult['seed']>().toEqualTypeOf<number | bigint | undefined>();
    expectTypeOf<ThreeDInferenceResult['seed']>().toEqualTypeOf<number | bigint | undefined>();
  });

  it('videoInference: the reader takes a result by mediaUUID as well as videoUUID, so the type has both, each optional (protocol §4.3; official-clients-surface, py-legacy)', () => {
    expectTypeOf<VideoInferenceResult['videoUUID']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<VideoInferenceResult>().toHaveProperty('mediaUUID').toEqualTypeOf<string | undefined>();
    expectTypeOf<VideoInferenceResult>().toHaveProperty('mediaURL').toEqualTypeOf<string | undefined>();
  });

  it('modelSearch: each entry may carry isFavorite and provider (protocol §4.17)', () => {
    expectTypeOf<ModelSearchEntry>().toHaveProperty('isFavorite').toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ModelSearchEntry>().toHaveProperty('provider').toEqualTypeOf<string | undefined>();
  });
});
