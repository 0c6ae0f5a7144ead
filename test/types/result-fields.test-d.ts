import { describe, expectTypeOf, it } from 'vitest';
import type { ModelSearchEntry, VideoInferenceResult } from 'runware-rx/tasks';

/*
 * Result types carry the fields the protocol reference says come back, typed as they may come:
 * a field the reader accepts an item without is optional.
 */

describe('result types', () => {
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
