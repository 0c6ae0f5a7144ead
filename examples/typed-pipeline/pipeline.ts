import { filter, map, switchMap, take } from 'rxjs';
import type { RunwareClient } from 'runware-rx';
import type { ImageInferenceParams } from 'runware-rx/tasks';

/*
 * Generate, then upscale the first image by its URL. Nothing here is annotated but the inputs:
 * every result type is inferred from the task definitions, so `first.imageURL` is known to be a
 * `string | undefined` and `upscaled.imageUrl` (a typo) does not compile.
 */

/**
 * The pipeline with promises.
 *
 * @param runware The client.
 * @param params What to generate.
 * @returns The first generated image and its upscale.
 */
export async function generateThenUpscale(runware: RunwareClient, params: ImageInferenceParams) {
  const [first] = await runware.imageInference(params);
  // A URL is there unless another outputType was asked for; the type says it may be absent.
  if (first?.imageURL === undefined) throw new Error('the first image has no URL');
  const [upscaled] = await runware.upscale({ inputImage: first.imageURL, upscaleFactor: 2 });
  if (upscaled === undefined) throw new Error('the upscale returned nothing');
  return { generated: first, upscaled };
}

/**
 * The same pipeline as a stream: the upscale starts as soon as the first image arrives, even
 * when more are still being generated (which are then not waited for).
 *
 * @param runware The client.
 * @param params What to generate.
 * @returns An Observable of the first generated image and its upscale.
 */
export function generateThenUpscale$(runware: RunwareClient, params: ImageInferenceParams) {
  return runware.image$(params).pipe(
    filter((event) => event.type === 'result'),
    take(1),
    switchMap(({ item: generated }) => {
      if (generated.imageURL === undefined) throw new Error('the first image has no URL');
      return runware.upscale$({ inputImage: generated.imageURL, upscaleFactor: 2 }).pipe(
        filter((event) => event.type === 'result'),
        map(({ item: upscaled }) => ({ generated, upscaled })),
      );
    }),
  );
}
